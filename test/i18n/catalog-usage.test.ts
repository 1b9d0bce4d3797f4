/**
 * Every `resident` and `staff` text is used by the code, and every key the code names exists.
 * Keys are written whole in code ("resident.turn.crisis"), so a search finds them; channel
 * adapters pass them as plain strings, which the compiler cannot check, so this test does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LOCALES, SERVER_NAMESPACES } from '../../src/i18n/locales';

const ROOT = path.resolve(__dirname, '../..');
/** Texts written ahead of the code that will use them, with where that code is to come from. */
const RESERVED: Record<string, string> = {
  'resident.fallback.englishNotice': 'issue 14 "Every language whole": told to residents answered in English',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'public' || entry.name === 'locales' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

const KEY_LITERAL = new RegExp(`['"\`]((?:${SERVER_NAMESPACES.join('|')})\\.[A-Za-z0-9_.]+)['"\`]`, 'g');
const referenced = new Map<string, string>();
for (const file of [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'channels'))]) {
  for (const match of fs.readFileSync(file, 'utf8').matchAll(KEY_LITERAL)) {
    referenced.set(match[1]!, path.relative(ROOT, file));
  }
}
const defined = SERVER_NAMESPACES.flatMap((ns) => Object.keys(LOCALES[ns].ko).map((key) => `${ns}.${key}`));

describe('catalogue keys and the code', () => {
  it('finds the code naming keys at all (the search works)', () => {
    expect(referenced.get('resident.turn.crisis')).toBe('src/turn/steps/crisis-guard.ts');
    expect(referenced.has('resident.kakao.error')).toBe(true);
  });

  it('uses every resident and staff text', () => {
    expect(defined.filter((key) => !referenced.has(key) && !(key in RESERVED))).toEqual([]);
  });

  it('names only keys that exist', () => {
    const known = new Set(defined);
    expect([...referenced].filter(([key]) => !known.has(key)).map(([key, file]) => `${file}: ${key}`)).toEqual([]);
  });

  it('keeps the reserved list honest: a reserved key exists and is not used yet', () => {
    for (const key of Object.keys(RESERVED)) {
      expect([key, defined.includes(key), referenced.get(key)]).toEqual([key, true, undefined]);
    }
  });
});
