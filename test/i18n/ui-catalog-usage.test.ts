/**
 * The browser UIs and their catalogue namespaces agree: every key the console and the web chat
 * name exists, and every text of those namespaces is used. The front-ends' scripts and markup are
 * scanned as the server-side usage test scans TypeScript: lookup calls (`t('key')`,
 * `t(lang, 'key')`), `data-i18n`/`data-i18n-attr` markup, `label('group', …)` (keys
 * `label.group.*`), and any string literal that starts with one of the namespace's key groups
 * (the tables of keys the code keeps, such as STATUS_KEYS). A template literal such as
 * `` `typing.${who}` `` or `label('role', …)` makes a prefix whose keys count as used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LOCALES } from '../../src/i18n/locales';

const ROOT = path.resolve(__dirname, '../..');

interface Usage {
  /** Exact keys, each with the first file naming it. */
  keys: Map<string, string>;
  /** Prefixes of keys the code builds at run time, each with the first file building it. */
  prefixes: Map<string, string>;
}

function frontEndFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'vendor' ? [] : frontEndFiles(full);
      // The i18n modules implement the lookup (`label.${group}.…`); they use no text of their own.
      return /\.(js|html)$/.test(entry.name) && !/(^|-)i18n\.js$/.test(entry.name) ? [full] : [];
    });
}

/** Every key and key prefix the files under `dirs` name, for a namespace whose keys are `known`. */
function scan(dirs: string[], known: string[]): Usage {
  const groups = new Set(known.map((key) => key.split('.')[0]!));
  const group = [...groups].join('|');
  const patterns: { re: RegExp; prefix?: boolean; split?: boolean; label?: boolean }[] = [
    // t('key'), t(lang, 'key'), t(state.lang, 'key', values)
    { re: /\bt\(\s*(?:[\w$.]+\s*,\s*)?['"]([^'"]+)['"]/g },
    // t(`tab.${name}`)
    { re: /\bt\(\s*(?:[\w$.]+\s*,\s*)?`([^`$]*)\$\{/g, prefix: true },
    // data-i18n="key"
    { re: /data-i18n="([^"]+)"/g },
    // data-i18n-attr="aria-label:key,title:key"
    { re: /data-i18n-attr="([^"]+)"/g, split: true },
    // label('priority', value): keys label.priority.*
    { re: /\blabel\(\s*['"]([\w-]+)['"]/g, label: true },
    // any other literal starting with a key group: 'notice.photoType', `typing.${who}`
    { re: new RegExp(`['"]((?:${group})\\.[A-Za-z0-9_.]+)['"]`, 'g') },
    { re: new RegExp(`\`((?:${group})\\.[A-Za-z0-9_.]*)\\$\\{`, 'g'), prefix: true },
  ];
  const usage: Usage = { keys: new Map(), prefixes: new Map() };
  for (const file of dirs.flatMap((dir) => frontEndFiles(path.join(ROOT, dir)))) {
    const source = fs.readFileSync(file, 'utf8');
    const where = path.relative(ROOT, file);
    const note = (map: Map<string, string>, value: string) => map.has(value) || map.set(value, where);
    for (const { re, prefix, split, label } of patterns) {
      for (const match of source.matchAll(re)) {
        const found = match[1]!;
        if (prefix) note(usage.prefixes, found);
        else if (label) note(usage.prefixes, `label.${found}.`);
        else if (split) for (const [, key] of found.matchAll(/[\w-]+:\s*(\w+\.[\w.]+)/g)) note(usage.keys, key!);
        else note(usage.keys, found);
      }
    }
  }
  return usage;
}

const FRONT_ENDS = [
  { namespace: 'console' as const, dirs: ['src/console/public'] },
  { namespace: 'webchat' as const, dirs: ['channels/webchat/public'] },
];

describe.each(FRONT_ENDS)('the $namespace front-end and its texts', ({ namespace, dirs }) => {
  const known = Object.keys(LOCALES[namespace].ko);
  const usage = scan(dirs, known);

  it('finds the lookups at all (the scan works)', () => {
    expect(usage.keys.size).toBeGreaterThan(20);
    expect(usage.keys.get('composer.send')).toMatch(/index\.html$/);
    expect(usage.prefixes.has(namespace === 'console' ? 'label.priority.' : 'typing.')).toBe(true);
  });

  it('names only keys that exist', () => {
    const missing = [...usage.keys].filter(([key]) => !known.includes(key)).map(([key, file]) => `${file}: ${key}`);
    expect(missing).toEqual([]);
  });

  it('builds keys only under prefixes that have texts', () => {
    const empty = [...usage.prefixes].filter(([prefix]) => !known.some((key) => key.startsWith(prefix))).map(([prefix, file]) => `${file}: ${prefix}*`);
    expect(empty).toEqual([]);
  });

  it('uses every text of the namespace', () => {
    const prefixes = [...usage.prefixes.keys()];
    const unused = known.filter((key) => !usage.keys.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)));
    expect(unused).toEqual([]);
  });
});
