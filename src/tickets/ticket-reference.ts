/** Human-readable ticket references: GG-YYYYMMDD-NNNN, dated in Korea time, numbered per day. */

const KOREA_OFFSET_MS = 9 * 3_600_000;

/** YYYYMMDD of an instant in Korea (UTC+9, no daylight saving). */
export function koreaDay(at: Date): string {
  return new Date(at.getTime() + KOREA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The prefix shared by every reference of that day, e.g. 'GG-20261127-'. */
export function referencePrefix(at: Date): string {
  return `GG-${koreaDay(at)}-`;
}

/** The reference for a day and sequence number; at least four digits. */
export function formatReference(at: Date, seq: number): string {
  return `${referencePrefix(at)}${String(seq).padStart(4, '0')}`;
}

const PATTERN = /\bGG[-\s]?(\d{8})[-\s]?(\d{4,6})\b/i;

/** Finds a reference in free text ("gg-20261127-0042 어떻게 됐나요") and normalises it; undefined if none. */
export function findReference(text: string): string | undefined {
  const m = PATTERN.exec(text.normalize('NFKC'));
  return m ? `GG-${m[1]}-${m[2]}` : undefined;
}
