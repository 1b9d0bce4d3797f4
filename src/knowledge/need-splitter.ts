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

/**
 * A piece that points back at the one before ("who do I ask about it?", "그거 어디에 신고해요?") is
 * the same request continued, not a second one.
 */
const POINTS_BACK: Record<string, RegExp> = {
  ko: /그거|그것|이거|이것|거기|여기|저거|그건|이건|그 ?문제|이 ?문제/u,
  en: /(?<!\p{L})(?:it|its|this|that|them|they|those|these|there)(?!\p{L})/iu,
  zh: /它|这个|那个|这件|那件|这事|那事|此事|该/u,
  vi: /(?<!\p{L})(?:nó|việc này|việc đó|cái này|cái đó|chuyện này|chuyện đó|đó|này)(?!\p{L})/iu,
};

/**
 * A short question asking only whom or where to turn to, or how to go about it ("Who can I complain
 * to?", "어디에 신고해요?", "找谁投诉？", "báo ở đâu?") continues the request before it.
 */
const ONLY_HOW_OR_WHOM: Record<string, RegExp> = {
  ko: /^(?:그럼\s*)?(?:어디(?:에|로|서)?|누구(?:한테|에게)?|어떻게)\s*(?:신고|문의|연락|민원|말해|얘기|해야|하면|하나요|해요)[가-힣\s]{0,8}[?？.]?$/u,
  en: /^(?:so\s+)?(?:who|where|how|whom)\b[\w\s']{0,30}\b(?:complain|report|ask|contact|call|go|turn|do|start)\b[\w\s]{0,10}[?.!]?$/iu,
  zh: /^(?:那)?(?:找谁|向谁|去哪|在哪|哪里|怎么)(?:投诉|举报|反映|咨询|联系|办|申报|处理)[^，。？！]{0,6}[？?。]?$/u,
  vi: /^(?:vậy\s+)?(?:báo|khiếu nại|liên hệ|hỏi|gọi)\s+(?:ở đâu|ai|cho ai|thế nào|như thế nào)[\p{L}\s]{0,12}[?.]?$/iu,
};

/**
 * A bare wish to act with no object of its own ("tôi muốn báo hỏng", "신고하고 싶어요", "我想报修",
 * "I want to report") asks to act on what was just described: the same request.
 */
const BARE_REQUEST: Record<string, RegExp> = {
  ko: /^(?:그래서\s*)?(?:신고|민원|수리|접수|고장 ?신고)\s*(?:하고\s*싶어요|하고\s*싶습니다|할게요|해\s*주세요|하려고요|하려고\s*해요|부탁드려요|요청합니다)[.!?？]?$/u,
  en: /^(?:so\s+)?(?:i\s+)?(?:want|would like|need|wanna)\s+to\s+(?:report|complain|file a report|file a complaint)[.!?]?$/iu,
  zh: /^(?:所以)?(?:我)?(?:想|要|需要)(?:报修|投诉|举报|反映|报告)(?:一下)?[。！？!?]?$/u,
  vi: /^(?:nên\s+)?(?:tôi|mình|em)?\s*(?:muốn|cần|xin)\s+(?:báo(?:\s+(?:hỏng|cáo|sự cố))?|khiếu nại|phản ánh|sửa)[.!?]?$/iu,
};

/** Shortest part that can be a request: characters for Korean and Chinese, words for the others. */
function longEnough(part: string, language: string): boolean {
  if (language === 'ko' || language === 'zh' || language === 'ja') return part.replace(/\s/g, '').length >= 4;
  return part.split(/\s+/).filter(Boolean).length >= 3;
}

/**
 * The parts of `text` that may each hold one request (at most 4); one part when it cannot be split.
 * A piece too short to be a request ("Hi,", "bus") is joined to the piece after it, and one that points
 * back ("how can I pay it?") to the piece before, so no words are lost.
 */
function continuesRequest(piece: string, language: string): boolean {
  return [POINTS_BACK, ONLY_HOW_OR_WHOM, BARE_REQUEST].some((rules) => rules[language]?.test(piece) ?? false);
}

export function splitNeeds(text: string, language: string): string[] {
  const connector = CONNECTORS[language];
  let marked = text.replace(PUNCTUATION, (m) => `${m}\u0000`);
  if (language === 'ko') marked = marked.replace(KO_CLAUSE_ENDINGS, (m) => `${m}\u0000`);
  if (connector) marked = marked.replace(connector, (m) => `\u0000${m}`);
  const pieces = marked.split('\u0000').map((p) => p.trim()).filter(Boolean);
  const parts: string[] = [];
  let carry = '';
  for (const piece of pieces) {
    if (parts.length && !carry && continuesRequest(piece, language)) {
      parts[parts.length - 1] = `${parts.at(-1)} ${piece}`;
      continue;
    }
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
