/** The few texts the KakaoTalk adapter itself shows (everything else comes from the conversation). */

type Texts = { ko: string; en: string };

const TEXTS = {
  /** Answer when nothing new is there yet (e.g. a counselor has not replied). */
  received: {
    ko: '메시지를 받았어요. 답변이 도착하면 아래 "답변 확인"을 눌러 확인해 주세요.',
    en: 'Message received. When a reply arrives, tap "Check replies" below to see it.',
  },
  /** Answer when the reply is still being prepared and Kakao gave no callback URL. */
  preparing: {
    ko: '답변을 준비하고 있어요. 잠시 후 "답변 확인"을 눌러 주세요.',
    en: 'I am preparing the answer. Please tap "Check replies" in a moment.',
  },
  /** Shown by Kakao while it waits for our callback. */
  waiting: {
    ko: '답변을 준비하고 있어요. 잠시만 기다려 주세요.',
    en: 'Preparing the answer, one moment please.',
  },
  nothingNew: {
    ko: '아직 새 답변이 없어요. 조금 뒤에 다시 확인해 주세요.',
    en: 'No new replies yet. Please check again a little later.',
  },
  error: {
    ko: '죄송해요, 잠시 문제가 생겼어요. 메시지를 한 번 더 보내 주세요. 급하시면 120으로 전화 주세요.',
    en: 'Sorry, something went wrong. Please send your message again. If it is urgent, call 120.',
  },
  checkLabel: { ko: '답변 확인', en: 'Check replies' },
  moreLabel: { ko: '다음 답변 보기', en: 'Next reply' },
  linksTitle: { ko: '관련 링크', en: 'Links' },
} satisfies Record<string, Texts>;

export type KakaoTextKey = keyof typeof TEXTS;

/** Korean for Korean, English for everyone else (foreign residents). */
export function kakaoText(key: KakaoTextKey, language: string | undefined): string {
  return language === 'ko' || !language ? TEXTS[key].ko : TEXTS[key].en;
}
