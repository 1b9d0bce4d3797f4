/**
 * Intent edits live in the store as well as in the editing instance's intents/ folder: another
 * instance, or one started later from the image's files, writes the stored edits into its folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeStoredIntents } from '../../src/admin/intent-admin';
import { MemoryStore } from '../../src/store/memory-store';

const shipped = path.join(__dirname, '..', '..', 'intents');
const readIntent = (dir: string, name: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { intent: string; examples: Record<string, string[]> };

describe('writeStoredIntents', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-intents-'));
    fs.cpSync(shipped, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the latest admin edit of an intent into the folder, once', async () => {
    const store = new MemoryStore();
    const original = readIntent(shipped, 'noise_complaint');
    await store.knowledge.append({ kind: 'intent', key: 'noise_complaint', doc: original, actor: 'seed', note: 'intents data file' });
    const edited = { ...original, examples: { ...original.examples, ko: [...(original.examples.ko ?? []), '윗집 발소리 때문에 잠을 못 자요 (관리자 추가)'] } };
    await store.knowledge.append({ kind: 'intent', key: 'noise_complaint', doc: edited, actor: 'admin-token' });

    expect(await writeStoredIntents(store.knowledge, dir)).toBe(1);
    expect(readIntent(dir, 'noise_complaint').examples.ko).toContain('윗집 발소리 때문에 잠을 못 자요 (관리자 추가)');
    // Already in place: nothing to write the second time.
    expect(await writeStoredIntents(store.knowledge, dir)).toBe(0);
  });

  it('leaves the files alone when the latest version is the shipped one, and never writes outside the folder', async () => {
    const store = new MemoryStore();
    const original = readIntent(shipped, 'noise_complaint');
    await store.knowledge.append({ kind: 'intent', key: 'noise_complaint', doc: { ...original, examples: { ko: ['옛 예문'] } }, actor: 'seed' });
    await store.knowledge.append({ kind: 'intent', key: '../escape', doc: { ...original, intent: '../escape' }, actor: 'admin-token' });
    expect(await writeStoredIntents(store.knowledge, dir)).toBe(0);
    expect(readIntent(dir, 'noise_complaint')).toEqual(original);
    expect(fs.existsSync(path.join(dir, '..', 'escape.json'))).toBe(false);
  });
});
