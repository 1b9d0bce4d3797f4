/** Korean particle pairs ("신고을(를)") resolved after a placeholder has been filled. */

const PARTICLES: Record<string, [withFinal: string, withoutFinal: string]> = {
  '은(는)': ['은', '는'],
  '을(를)': ['을', '를'],
  '이(가)': ['이', '가'],
  '과(와)': ['과', '와'],
};

/**
 * Resolves Korean particle choices written as "신고은(는)" by the preceding syllable: a final
 * consonant takes the first form ("조회는", "신청은"). After a non-Hangul character both stay.
 */
export function resolveParticles(text: string): string {
  if (!text.includes('(')) return text;
  return text.replace(/(.)(은\(는\)|을\(를\)|이\(가\)|과\(와\))/gu, (match: string, before: string, pair: string) => {
    const code = before.charCodeAt(0) - 0xac00;
    if (code < 0 || code > 11171) return match;
    const [withFinal, withoutFinal] = PARTICLES[pair]!;
    return before + (code % 28 !== 0 ? withFinal : withoutFinal);
  });
}
