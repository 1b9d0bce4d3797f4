/**
 * Word matching for counselors' searches (canned answers, "/" in the composer). A result must
 * contain EVERY word of the query, so "자살 예방" finds the suicide-prevention line and not
 * vaccination ("예방접종" shares only one word). Words match inside Korean compounds
 * ("자살예방상담전화") and a trailing particle on a query word is ignored ("자살을" ~ "자살").
 */

// Common particles, longest first so "에서" is tried before "에".
const PARTICLES = ['에서', '으로', '에게', '까지', '부터', '처럼', '이랑', '하고', '을', '를', '이', '가', '은', '는', '에', '의', '도', '로', '와', '과', '랑', '만'];
const HANGUL = /\p{Script=Hangul}$/u;

/** The lower-cased words of a query (at most 8), without punctuation. */
export function queryWords(query: string): string[] {
  return query
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s.,!?·…"'()[\]{}:;/\\]+/u)
    .filter(Boolean)
    .slice(0, 8);
}

/** The forms a word may take in a text: itself, and without a trailing particle when one is there. */
function forms(word: string): string[] {
  if (!HANGUL.test(word)) return [word];
  const out = [word];
  for (const p of PARTICLES) {
    if (word.length - p.length >= 2 && word.endsWith(p)) {
      out.push(word.slice(0, -p.length));
      break;
    }
  }
  return out;
}

/** True when every word (in some form) occurs in `text` (case-insensitive). */
export function matchesEveryWord(text: string, words: string[]): boolean {
  const haystack = text.normalize('NFC').toLowerCase();
  return words.every((w) => forms(w).some((f) => haystack.includes(f)));
}

/** How well `title` and `text` match (0 = not every word matched): title hits weigh more. */
export function wordScore(title: string, text: string, words: string[]): number {
  if (!words.length) return 1;
  if (!matchesEveryWord(`${title}\n${text}`, words)) return 0;
  const t = title.toLowerCase();
  return words.reduce((sum, w) => sum + (forms(w).some((f) => t.includes(f)) ? 3 : 1), 0);
}
