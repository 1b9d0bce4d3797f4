/**
 * Files of the derived-data cache (CACHE_DIR: trained intent models, FAQ indexes): written whole
 * under a temporary name and renamed, so a concurrent reader (another instance sharing the folder)
 * never sees half a file; each folder keeps only its newest files, since every edit of the data
 * gives a new key and the folder would otherwise grow without end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Files kept per cache folder: the current data's, and a few recent versions to switch back to. */
export const CACHE_FILES_KEPT = 8;

/**
 * Writes `data` to `file` atomically, then prunes the folder to its `keep` newest files.
 * Never throws: a read-only cache (a baked image) only costs the next start its rebuild.
 */
export function saveCacheFile(file: string, data: string | Uint8Array, keep = CACHE_FILES_KEPT): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
    pruneCacheFolder(dir, keep, path.basename(file));
  } catch {
    // Read-only or full: nothing saved, nothing lost.
  }
}

/** Deletes all but the `keep` most recently written files of `dir` (never `spare`); temporary files are left alone. */
export function pruneCacheFolder(dir: string, keep: number, spare?: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((name) => !name.endsWith('.tmp') && name !== spare)
    .map((name) => {
      try {
        return { name, mtime: fs.statSync(path.join(dir, name)).mtimeMs };
      } catch {
        return undefined; // Removed meanwhile by another instance.
      }
    })
    .filter((f) => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime);
  const room = spare ? keep - 1 : keep;
  for (const { name } of files.slice(Math.max(0, room))) fs.rmSync(path.join(dir, name), { force: true });
}
