/** UI strings of the web chat widget in Korean and English, and the choice of language. */

export const LANGUAGES = ['ko', 'en'];

const STRINGS = {
  ko: {
    title: '경기도 120 다정이 채팅 상담',
    intro: '무엇이든 물어보세요. 긴급한 상황은 112·119, 전화 상담은 120번입니다.',
    switchLanguage: 'English',
    switchLanguageLabel: 'Switch to English',
    close: '채팅 닫기',
    logLabel: '대화 내용',
    quickRepliesLabel: '빠른 답변',
    inputLabel: '메시지 입력',
    placeholder: '메시지를 입력하세요',
    hint: 'Enter 키로 보내고 Shift+Enter 키로 줄을 바꿉니다.',
    send: '보내기',
    statusConnecting: '연결 중…',
    statusOnline: '연결됨',
    statusOffline: '연결 끊김 · 다시 연결하는 중…',
    authorBot: '다정이(챗봇)',
    authorCounselor: '상담사',
    authorSystem: '안내',
    authorResident: '나',
    stateSending: '보내는 중…',
    stateWaiting: '연결되면 보낼게요',
    stateSent: '전송됨',
    stateFailed: '보내지 못했어요',
    sessionRestarted: '이전 대화가 만료되어 새 대화를 시작했어요.',
    location: '위치',
    image: '사진',
  },
  en: {
    title: 'Gyeonggi 120 Dajeong chat',
    intro: 'Ask us anything. In an emergency call 112 or 119; for phone help call 120.',
    switchLanguage: '한국어',
    switchLanguageLabel: '한국어로 보기',
    close: 'Close chat',
    logLabel: 'Conversation',
    quickRepliesLabel: 'Quick replies',
    inputLabel: 'Message',
    placeholder: 'Type your message',
    hint: 'Press Enter to send, Shift+Enter for a new line.',
    send: 'Send',
    statusConnecting: 'Connecting…',
    statusOnline: 'Connected',
    statusOffline: 'Connection lost · reconnecting…',
    authorBot: 'Dajeong (chatbot)',
    authorCounselor: 'Counselor',
    authorSystem: 'Notice',
    authorResident: 'You',
    stateSending: 'Sending…',
    stateWaiting: 'Will send when connected',
    stateSent: 'Sent',
    stateFailed: 'Could not send',
    sessionRestarted: 'Your previous chat expired, so a new chat has started.',
    location: 'Location',
    image: 'Photo',
  },
};

/** The string `key` in `lang` (Korean when a string is missing, so nothing shows blank). */
export function t(lang, key) {
  return STRINGS[lang]?.[key] ?? STRINGS.ko[key] ?? key;
}

const primary = (tag) =>
  String(tag ?? '')
    .slice(0, 2)
    .toLowerCase();

/**
 * The UI language to start with: the first of `choices` (the resident's saved choice, the host
 * page's hint) that the UI has, else from the browser: Korean for Korean browsers and English for
 * any other, since a foreign resident more likely reads English than Korean.
 */
export function pickLanguage(...choices) {
  for (const choice of choices) if (LANGUAGES.includes(primary(choice))) return primary(choice);
  const browser = primary(navigator.languages?.[0] ?? navigator.language);
  return !browser || browser === 'ko' ? 'ko' : 'en';
}

/**
 * The locale to open a session with, so the bot starts in the resident's language (it supports
 * more than the UI does): the browser's, unless the resident picked a UI language other than it.
 */
export function sessionLocale(lang, chosen) {
  const browser = navigator.languages?.[0] ?? navigator.language ?? '';
  const valid = /^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/.test(browser);
  if (valid && (!chosen || primary(browser) === lang)) return browser;
  return lang === 'ko' ? 'ko-KR' : 'en';
}
