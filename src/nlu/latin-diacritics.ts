/**
 * Vietnamese typed without its marks ("e uong het thuoc ngu roi"): patterns written with diacritics
 * are also read without them, but only against a text that has none (one typed with them is read
 * exactly). Shared by the crisis lexicon and the everyday phrases, which must fold alike.
 */

/**
 * Latin letters without their diacritics (Vietnamese "chết" -> "chet", "đ" -> "d"); other scripts
 * untouched (Hangul would fall apart into jamo under NFD).
 */
export function foldLatinDiacritics(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Script=Latin}][\p{M}]*/gu, (ch) => ch.normalize('NFD').replace(/\p{M}/gu, ''))
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** True when a text holds no Latin letter with a diacritic (Vietnamese typed without its marks). */
export function lacksLatinDiacritics(text: string): boolean {
  return foldLatinDiacritics(text) === text.normalize('NFKC');
}

/**
 * The folded forms of the patterns that have diacritics to fold; a pattern without any is already
 * read as it is, and a folded copy would only be tested twice.
 */
export function foldedPatterns(sources: string[]): string[] {
  return sources
    .map((source) => [source, foldLatinDiacritics(source)] as const)
    .filter(([source, folded]) => folded !== source.normalize('NFKC'))
    .map(([, folded]) => folded);
}
