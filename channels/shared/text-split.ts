/**
 * Splitting and truncating text for platforms with a per-message length limit. Lengths are
 * UTF-16 code units (what the platforms count, and never fewer than code points), and a cut never
 * falls inside a surrogate pair, so emoji and rare Hanja survive intact.
 */

/** Boundaries tried in order; `keep` says whether the matched text stays at the end of the chunk. */
const BOUNDARIES: { pattern: RegExp; keep: boolean }[] = [
  { pattern: /\n[ \t]*\n/g, keep: false }, // paragraph
  { pattern: /\n/g, keep: false }, // line
  { pattern: /[.!?…](?=\s)|[。！？]/g, keep: true }, // sentence end (Korean and English use ". ", CJK "。")
  { pattern: /\s/g, keep: false }, // word
];

/**
 * Splits `text` into chunks of at most `max` code units, preferring paragraph, line, sentence and
 * word boundaries (a boundary is only used when the chunk stays at least half full).
 * Returns `['']` for empty text so callers always have one chunk to attach buttons to.
 * @throws RangeError when max < 2.
 */
export function splitText(text: string, max: number): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`max must be an integer >= 2, got ${max}`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = findCut(rest, max);
    const head = rest.slice(0, cut).trimEnd();
    if (head) chunks.push(head);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest || chunks.length === 0) chunks.push(rest);
  return chunks;
}

function findCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const floor = Math.floor(max / 2);
  for (const { pattern, keep } of BOUNDARIES) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const cut = keep ? match.index + match[0].length : match.index;
      if (cut <= max && cut >= floor) best = cut;
    }
    if (best > 0) return best;
  }
  return safeCut(text, max);
}

/** `max`, or one less when position max would split a surrogate pair. */
function safeCut(text: string, max: number): number {
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * Shortens `text` to at most `max` code units, ending with `ellipsis` when anything was cut.
 * @throws RangeError when max is shorter than the ellipsis.
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  if (max < ellipsis.length) throw new RangeError(`max ${max} is shorter than the ellipsis`);
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, max - ellipsis.length)).trimEnd() + ellipsis;
}

/** Length of a string in UTF-8 bytes (Telegram's callback_data limit is in bytes). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
