/**
 * Sexual-harassment expressions aimed at the counselor (Korean and English), and a few insult
 * forms the shared lexicon lacks, added to it by LexiconAbuseDetector. Narrow on purpose: body
 * words on their own ("가슴이 답답해요" is a symptom) and reporting language ("성희롱 신고") must
 * not match; test/nlu/abuse-detection.test.ts holds both sides.
 */
export const EXTRA_ABUSE_PATTERNS: string[] = [
  // Insults the shared lexicon lacks
  '닥\\s*치(고|세요|시라|라)',
  '(?<![가-힣])(개|씹)\\s*(소리|새)\\s*(하|야|냐|네)',
  // Sexual harassment, Korean
  '섹\\s*시\\s*(하|해|한|하네|하다)',
  '(목소리|몸매|얼굴)\\s*(?:(가|이)\\s*)?(야하|꼴리|섹시)',
  '꼴\\s*(린|리네|려|리게)',
  '따\\s*먹',
  '(벗은|야한|알몸|속옷)\\s*(사진|모습)',
  '(가슴|엉덩이|몸매)\\s*(사진|보여|만지|크|몇)',
  '(나랑|같이|한번)\\s*(자자|잘래|자고\\s*싶)',
  '모텔\\s*(가자|갈래|같이)',
  '(섹스|섹1스|떡\\s*치)',
  '(자위|야동)\\s*(해|하|봐|보)',
  // Sexual harassment, English
  '\\bsend\\s+(me\\s+)?(nudes?|naked|nude\\s+pics?)\\b',
  "\\byou(?:'re|\\s+are|\\s+sound|\\s+look)\\s+(so\\s+)?(sexy|hot|horny)\\b",
  '\\bwhat\\s+are\\s+you\\s+wearing\\b',
  '\\b(sleep|have\\s+sex)\\s+with\\s+me\\b',
  '\\b(suck|lick)\\s+my\\b',
  '\\b(show|send)\\s+(me\\s+)?your\\s+(tits|boobs|breasts|ass|body|pussy)\\b',
  '\\b(blow\\s*job|dick\\s*pics?|horny)\\b',
];
