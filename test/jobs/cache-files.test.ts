import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { saveCacheFile } from '../../src/jobs/cache-files';

describe('saveCacheFile', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-cache-files-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest files of the folder, the one just written included, and no temporary file', () => {
    for (let i = 0; i < 5; i++) {
      const file = path.join(dir, `key-${i}.json`);
      saveCacheFile(file, JSON.stringify({ i }), 3);
      // Distinct modification times, oldest first, whatever the file system's resolution.
      fs.utimesSync(file, new Date(1_000_000 + i * 1000), new Date(1_000_000 + i * 1000));
    }
    saveCacheFile(path.join(dir, 'key-0.json'), JSON.stringify({ again: true }), 3);
    expect(fs.readdirSync(dir).sort()).toEqual(['key-0.json', 'key-3.json', 'key-4.json']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'key-0.json'), 'utf8'))).toEqual({ again: true });
  });

  it('does not throw when the folder cannot be written', () => {
    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, 'not a folder');
    expect(() => saveCacheFile(path.join(blocked, 'key.json'), '{}')).not.toThrow();
  });
});
