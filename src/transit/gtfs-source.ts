/**
 * Where a GTFS feed's files come from: a folder, or a .zip read entry by entry as streams (never
 * unpacked to disk or memory). Zips whose files sit in one top-level folder are accepted too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { GtfsImportError } from './gtfs-import-error';

export interface GtfsSource {
  /** A readable stream of the file, or undefined when the feed has no such file. */
  open(name: string): Promise<Readable | undefined>;
  /** Last modification date of the feed (the zip, or the folder's newest file). */
  readonly modified: Date;
  close(): void;
}

class FolderSource implements GtfsSource {
  constructor(
    private readonly dir: string,
    readonly modified: Date,
  ) {}

  async open(name: string): Promise<Readable | undefined> {
    const file = path.join(this.dir, name);
    return fs.existsSync(file) ? fs.createReadStream(file, { highWaterMark: 256 * 1024 }) : undefined;
  }

  close(): void {}
}

class ZipSource implements GtfsSource {
  constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    readonly modified: Date,
  ) {}

  open(name: string): Promise<Readable | undefined> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.resolve(undefined);
    return new Promise((resolve, reject) =>
      this.zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))),
    );
  }

  close(): void {
    this.zip.close();
  }
}

function readZipEntries(file: string): Promise<{ zip: yauzl.ZipFile; entries: Map<string, yauzl.Entry> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err) return reject(err);
      const all: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        zip.readEntry();
      });
      zip.on('error', reject);
      zip.on('end', () => {
        const files = all.filter((e) => !e.fileName.endsWith('/'));
        const atRoot = files.filter((e) => !e.fileName.includes('/'));
        // Some publishers zip the folder instead of its contents: accept one common top folder.
        const chosen = atRoot.some((e) => e.fileName.endsWith('.txt'))
          ? atRoot
          : files.filter((e) => e.fileName.split('/').length === 2);
        resolve({ zip, entries: new Map(chosen.map((e) => [path.posix.basename(e.fileName), e])) });
      });
      zip.readEntry();
    });
  });
}

/**
 * Opens a feed given as a folder or a .zip file.
 * @throws GtfsImportError when the path does not exist or is not a readable zip
 */
export async function openGtfsSource(location: string): Promise<GtfsSource> {
  const name = path.basename(location);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(location);
  } catch {
    throw new GtfsImportError({ file: name, message: `feed not found at ${location}` });
  }
  if (stat.isDirectory()) {
    const mtimes = fs
      .readdirSync(location)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => fs.statSync(path.join(location, f)).mtime.getTime());
    return new FolderSource(location, new Date(Math.max(stat.mtime.getTime(), ...mtimes)));
  }
  try {
    const { zip, entries } = await readZipEntries(location);
    return new ZipSource(zip, entries, stat.mtime);
  } catch (err) {
    throw new GtfsImportError({ file: name, message: `not a readable zip file (${(err as Error).message})` });
  }
}
