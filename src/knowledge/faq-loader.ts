/** Reads FAQ entries from the data files in knowledge/faq (arrays of entries, one file per topic). */
import fs from 'node:fs';
import path from 'node:path';
import type { FaqEntry } from '../core/knowledge-port';
import { parseFaqEntry } from './faq-schema';

/**
 * Loads and validates every `*.json` in `dir`.
 * @throws Error naming the file, the entry and the field of the first bad entry, or a duplicate id.
 */
export function loadFaqFiles(dir: string): FaqEntry[] {
  if (!fs.existsSync(dir)) return [];
  const entries: FaqEntry[] = [];
  const seen = new Map<string, string>();
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
    if (!Array.isArray(raw)) throw new Error(`${file}: expected an array of FAQ entries`);
    raw.forEach((item, index) => {
      const parsed = parseFaqEntry(item);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`${file}[${index}] (${(item as { id?: string })?.id ?? 'no id'}): ${problems}`);
      }
      const previous = seen.get(parsed.data.id);
      if (previous) throw new Error(`${file}: duplicate FAQ id "${parsed.data.id}" (also in ${previous})`);
      seen.set(parsed.data.id, file);
      entries.push(parsed.data);
    });
  }
  return entries;
}
