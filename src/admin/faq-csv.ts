/**
 * FAQ entries as CSV, one row per entry: list fields hold one item per line inside the cell
 * (questions; links as "title | url"). Parsing leaves validation to the FAQ schema.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_SAFE_STRINGIFY, csvUnsafeCell } from '../core/csv-cell';
import type { FaqEntry } from '../core/knowledge-port';
import { validationError } from './field-errors';

export const CSV_LANGUAGES = ['ko', 'en', 'zh', 'vi'] as const;

const COLUMNS = [
  'id',
  'intent',
  'topic',
  ...CSV_LANGUAGES.map((l) => `questions_${l}`),
  ...CSV_LANGUAGES.map((l) => `answer_${l}`),
  'links',
  'source',
  'updatedAt',
];

const lines = (cell: string | undefined) =>
  (cell ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export function faqToCsv(entries: FaqEntry[]): string {
  const rows = entries.map((e) => [
    e.id,
    e.intent,
    e.topic,
    ...CSV_LANGUAGES.map((l) => (e.questions[l] ?? []).join('\n')),
    ...CSV_LANGUAGES.map((l) => e.answer[l] ?? ''),
    e.links.map((k) => `${k.title} | ${k.url}`).join('\n'),
    e.source,
    e.updatedAt,
  ]);
  return stringify(rows, { header: true, columns: COLUMNS, ...CSV_SAFE_STRINGIFY });
}

/** Rows to entry-shaped objects (unvalidated). @throws 400 when the CSV itself cannot be read. */
export function csvToFaq(text: string): unknown[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: false, bom: true, cast: csvUnsafeCell }) as Record<
      string,
      string
    >[];
  } catch (err) {
    throw validationError('CSV could not be parsed', [{ field: '(body)', message: (err as Error).message }]);
  }
  const missing = ['id', 'intent', 'answer_ko', 'answer_en'].filter(
    (c) => records.length && !(c in records[0]!),
  );
  if (missing.length)
    throw validationError(
      'CSV is missing columns',
      missing.map((c) => ({ field: c, message: 'column is required' })),
    );
  return records.map((r) => {
    const questions: Record<string, string[]> = {};
    const answer: Record<string, string> = {};
    for (const l of CSV_LANGUAGES) {
      const q = lines(r[`questions_${l}`]);
      if (q.length) questions[l] = q;
      const a = r[`answer_${l}`]?.trim();
      if (a) answer[l] = a;
    }
    return {
      id: r.id?.trim(),
      intent: r.intent?.trim(),
      topic: r.topic?.trim(),
      questions,
      answer,
      links: lines(r.links).map((line) => {
        const [title, url] = line.split(/\s\|\s/);
        return { title: title?.trim() ?? '', url: url?.trim() ?? '' };
      }),
      source: r.source?.trim(),
      updatedAt: r.updatedAt?.trim(),
    };
  });
}
