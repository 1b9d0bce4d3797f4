/**
 * Splits one message into the parts that may each carry a need ("the road is broken, and when is the
 * first bus?"): at sentence ends, commas and the connectors residents use between two requests, in
 * Korean, English, Chinese and Vietnamese. Parts too short to be a request on their own are dropped.
 * The splitter only proposes parts; whether a part is a need is decided by retrieving an answer for it.
 */

/** Where one request ends and the next may begin, by language (other languages: punctuation only). */
const CONNECTORS: Record<string, RegExp> = {
  ko: /그리고요?|그리고\s*또|또한|아울러/gu,
  en: /(?<!\p{L})(?:and also|also|as well as|plus|another thing|and)(?!\p{L})/giu,
  zh: /另外|还有|以及|并且|顺便问一下|顺便/gu,
  vi: /(?<!\p{L})(?:và cả|và|còn nữa|còn|với lại|ngoài ra)(?!\p{L})/giu,
};
const PUNCTUATION = /[,;!?。？！，；、.]+(?:\s|$)|[？！，；。、]/gu;
/** Korean endings that close one request and lead to the next ("신고하고 싶고요 버스 시간도…"). */
const KO_CLAUSE_ENDINGS = /(?<=[가-힣])(?:고요|는데요|구요|했고|하고요)(?=\s)/gu;

/** Shortest part that can be a request: characters for Korean and Chinese, words for the others. */
function longEnough(part: string, language: string): boolean {
  if (language === 'ko' || language === 'zh' || language === 'ja') return part.replace(/\s/g, '').length >= 4;
  return part.split(/\s+/).filter(Boolean).length >= 3;
}

/**
 * The parts of `text` that may each hold one request (at most 4); one part when it cannot be split.
 * A piece too short to be a request ("Hi,", "bus") is joined to the piece after it, so no words are lost.
 */
export function splitNeeds(text: string, language: string): string[] {
  const connector = CONNECTORS[language];
  let marked = text.replace(PUNCTUATION, (m) => `${m}\u0000`);
  if (language === 'ko') marked = marked.replace(KO_CLAUSE_ENDINGS, (m) => `${m}\u0000`);
  if (connector) marked = marked.replace(connector, (m) => `\u0000${m}`);
  const pieces = marked.split('\u0000').map((p) => p.trim()).filter(Boolean);
  const parts: string[] = [];
  let carry = '';
  for (const piece of pieces) {
    const part = carry ? `${carry} ${piece}` : piece;
    if (longEnough(part, language)) {
      parts.push(part);
      carry = '';
    } else carry = part;
  }
  if (carry) {
    if (parts.length) parts[parts.length - 1] = `${parts.at(-1)} ${carry}`;
    else parts.push(carry);
  }
  return parts.slice(0, 4);
}
