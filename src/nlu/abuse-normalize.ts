/**
 * Undoes the usual ways of spelling swear words around filters before abuse detection: digits,
 * dots and symbols wedged between Korean letters ("씨1발", "개.새.끼"), letters repeated for
 * emphasis ("씨이이발" stays, but "ㅅㅅㅅㅂ" shrinks). Used for detection only, never shown.
 */
const WEDGED =
  /(?<=[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff])[\d._\-*~^!@#$%&+=/\\|,'"`:;\s]{1,3}(?=[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff])/gu;
const REPEATED = /(.)\1{2,}/gu;

export function deobfuscate(text: string): string {
  return text
    .normalize('NFKC')
    .replace(WEDGED, (gap) => (/^\s+$/.test(gap) ? gap : ''))
    .replace(REPEATED, '$1$1');
}
