/**
 * How stop names are compared: the same key for "수원역", "수원 역", "수원역 정류장", "Suwon Station"
 * and "suwon-yeok". Keys drop spacing, punctuation, bracketed qualifiers ("(중)", "(북문)") and the
 * generic words for station/stop in the four languages; Hangul names also get a Latin key from a
 * syllable-by-syllable Revised Romanization (without sound-change rules: good enough to match).
 */

const SUFFIXES = [
  '버스정류장',
  '버스정류소',
  '정류장',
  '정류소',
  '승강장',
  '전철역',
  '지하철역',
  '역',
  'busstop',
  'busstation',
  'station',
  'stop',
  'stn',
  'yeok',
  '公交站',
  '车站',
  '地铁站',
  '站',
  'trạm',
];
/** Leading generic words (Vietnamese puts them first), matched as whole words before spaces go. */
const PREFIX = /^(?:trạm xe buýt|trạm|bến xe|nhà ga|ga|station)\s+/u;

/** Comparison key of a stop name ('' when nothing is left). */
export function normalizeStopName(name: string): string {
  let s = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[([{（【][^)\]}）】]*[)\]}）】]/g, '')
    .trim()
    .replace(PREFIX, '')
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  // Strip generic words, keeping at least one character of the name itself.
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIXES)
      if (s.length > suffix.length && s.endsWith(suffix)) {
        s = s.slice(0, -suffix.length);
        changed = true;
      }
  }
  return s;
}

const INITIALS = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const MEDIALS = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
/** Final consonant before another consonant or at the end. */
const FINALS = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];
/** Final consonant carried over to a following vowel-initial syllable (liaison). */
const FINALS_BEFORE_VOWEL = ['', 'g', 'kk', 'ks', 'n', 'nj', 'n', 'd', 'r', 'lg', 'lm', 'lb', 'ls', 'lt', 'lp', 'r', 'm', 'b', 'ps', 's', 'ss', 'ng', 'j', 'ch', 'k', 't', 'p', ''];

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

/** Latin spelling of Hangul syllables (other characters kept as they are). */
export function romanizeHangul(text: string): string {
  let out = '';
  const chars = Array.from(text);
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < HANGUL_FIRST || code > HANGUL_LAST) {
      out += ch;
      return;
    }
    const offset = code - HANGUL_FIRST;
    const initial = Math.floor(offset / 588);
    const medial = Math.floor((offset % 588) / 28);
    const final = offset % 28;
    const next = (chars[i + 1]?.codePointAt(0) ?? 0) - HANGUL_FIRST;
    const nextStartsWithVowel = next >= 0 && next <= HANGUL_LAST - HANGUL_FIRST && Math.floor(next / 588) === 11;
    out += INITIALS[initial] + (MEDIALS[medial] ?? '') + ((nextStartsWithVowel ? FINALS_BEFORE_VOWEL : FINALS)[final] ?? '');
  });
  return out;
}

/** True when the text contains Hangul syllables. */
export function hasHangul(text: string): boolean {
  return /[\uac00-\ud7a3]/.test(text);
}

/** Distinct character bigrams of a key as 32-bit codes (a one-character key is its own gram). */
export function bigramCodes(key: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < key.length; i++) units.push(key.charCodeAt(i));
  if (units.length === 1) return [units[0]! >>> 0];
  const grams = new Set<number>();
  for (let i = 0; i + 1 < units.length; i++) grams.add(((units[i]! << 16) | units[i + 1]!) >>> 0);
  return [...grams];
}
