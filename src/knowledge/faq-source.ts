/**
 * The line that ends an FAQ answer: where its facts come from and when the entry was last updated,
 * in the resident's language with the date written for that language ("2026년 12월 6일",
 * "December 6, 2026", "6 tháng 12, 2026").
 */
import type { FaqEntry } from '../core/knowledge-port';
import { tr } from '../i18n/translate';

/** Longest source shown, in characters: the line stays one short line under the answer. */
export const MAX_SOURCE_CHARS = 80;

/**
 * The source as short as a line allows: its leading ';'-separated parts that fit, the first part
 * without its parenthesised details when it alone is too long, cut at a word as a last resort.
 */
export function shortSource(source: string, max = MAX_SOURCE_CHARS): string {
  const parts = source
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  let first = parts[0] ?? source.trim();
  if (first.length > max) first = first.replace(/\s*\([^)]*\)/g, '').trim();
  if (first.length > max) {
    const cut = first.slice(0, max - 1);
    const space = cut.lastIndexOf(' ');
    return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  let shown = first;
  for (const part of parts.slice(1)) {
    if (shown.length + 2 + part.length > max) break;
    shown = `${shown}; ${part}`;
  }
  return shown;
}

/**
 * "Source: … · last updated …" for an entry, in `language` (by the catalogue's fallback rule);
 * undefined for an entry without a readable date (the schema refuses those; stored versions are old).
 */
export function faqSourceLine(entry: Pick<FaqEntry, 'source' | 'updatedAt'>, language: string): string | undefined {
  // A YYYY-MM-DD parses as its UTC midnight, which the catalogue's `day` format shows as that day.
  const updated = Date.parse(entry.updatedAt);
  if (!entry.source?.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(entry.updatedAt ?? '') || Number.isNaN(updated)) return undefined;
  return tr('resident.faq.source', language, { source: shortSource(entry.source), updated });
}
