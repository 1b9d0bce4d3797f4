/**
 * Korean-aware tokens for BM25. Korean glues particles and endings to words ("포트홀이", "포트홀을"),
 * so Hangul (and Han) words become overlapping character bigrams, which match across those forms
 * without a morphological analyser. Latin words are lower-cased, lightly stemmed, stop words dropped.
 */
import { normalizeText } from '../nlu/text-normalize';

const CJK = /[\p{Script=Hangul}\p{Script=Han}]/u;

const EN_STOP = new Set(
  'a an the and or but if of to in on at by for with from as is are was were be been being am do does did doing have has had having i me my we our you your he she it its they them their this that these those there here what which who whom how when where why can could would should will shall may might must not no yes so than too very just about into over under again please hi hello want need get got any some'.split(
    ' ',
  ),
);

/** Crude English stemming: enough to match "reports"/"report", "parked"/"parking". */
function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(sh|ch|x|s|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** The BM25 token of one normalised non-Hangul word: stemmed, undefined for a stop word. */
export function latinToken(word: string): string | undefined {
  if (/^\p{N}+$/u.test(word)) return word;
  return EN_STOP.has(word) ? undefined : stem(word);
}

/** BM25 tokens of a text. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of normalizeText(text).split(' ')) {
    if (!word) continue;
    if (CJK.test(word)) {
      const chars = [...word];
      if (chars.length === 1) tokens.push(word);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
    } else {
      const token = latinToken(word);
      if (token) tokens.push(token);
    }
  }
  return tokens;
}
