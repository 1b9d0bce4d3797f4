/** Korean particle pairs ("신고을(를)", "'접수'(으)로") resolved after a placeholder has been filled. */

const PAIRS: Record<string, [withFinal: string, withoutFinal: string]> = {
  '은(는)': ['은', '는'],
  '을(를)': ['을', '를'],
  '이(가)': ['이', '가'],
  '과(와)': ['과', '와'],
  '(으)로': ['으로', '로'],
};
/** Final consonants by their index in a Hangul syllable (code % 28): 0 none, 8 ㄹ. */
const NO_FINAL = 0;
const RIEUL = 8;
/** The final consonant of each digit as read aloud (영 일 이 삼 사 오 육 칠 팔 구): "7-2번", "1호선". */
const DIGIT_FINALS: Record<string, number> = { '0': 21, '1': RIEUL, '2': 0, '3': 16, '4': 0, '5': 0, '6': 1, '7': RIEUL, '8': RIEUL, '9': 0 };
/** The word's last character, an optional closing quote ("'수원역'(으)로"), the pair. */
const PARTICLE = /(.)(['’"”]?)(은\(는\)|을\(를\)|이\(가\)|과\(와\)|\(으\)로)/gu;

/** The final consonant of `ch` as read in Korean, or undefined when it is no Hangul syllable or digit. */
function finalOf(ch: string): number | undefined {
  const code = ch.charCodeAt(0) - 0xac00;
  if (code >= 0 && code <= 11171) return code % 28;
  return DIGIT_FINALS[ch];
}

/**
 * Resolves Korean particle choices written as "신고은(는)" by the syllable (or digit) before them:
 * a final consonant takes the first form ("조회는", "신청은"); 으로 is for finals other than ㄹ
 * ("수원역으로", "1호선으로" but "서울로", "7로"). After any other character (Latin letters, whose
 * reading is unknown) both stay.
 */
export function resolveParticles(text: string): string {
  if (!text.includes('(')) return text;
  return text.replace(PARTICLE, (match: string, before: string, quote: string, pair: string) => {
    const final = finalOf(before);
    if (final === undefined) return match;
    const [withFinal, withoutFinal] = PAIRS[pair]!;
    const takesFinal = pair === '(으)로' ? final !== NO_FINAL && final !== RIEUL : final !== NO_FINAL;
    return before + quote + (takesFinal ? withFinal : withoutFinal);
  });
}
