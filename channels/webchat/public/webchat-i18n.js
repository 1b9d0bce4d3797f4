/**
 * UI strings of the web chat widget (ko, en, zh, vi) and the choice of language. Keys are flat and
 * dotted so the table moves unchanged into the message catalogue (src/i18n/locales/webchat/<lang>.json).
 * Strings with {name} placeholders are filled by `t(lang, key, {name: value})`.
 */

export const LANGUAGES = ['ko', 'en', 'zh', 'vi'];

/** Each language's own name, shown in the language menu in that language. */
export const LANGUAGE_NAMES = { ko: '한국어', en: 'English', zh: '中文', vi: 'Tiếng Việt' };

const STRINGS = {
  ko: {
    'header.title': '경기도 120 다정이 채팅 상담',
    'header.language': '언어',
    'header.close': '채팅 닫기',
    'header.counselor': '상담사 연결',
    'header.counselorLabel': '상담사와 이야기하기',
    'intro.text': '무엇이든 물어보세요. 긴급한 상황은 112·119, 전화 상담은 120번입니다.',
    'log.label': '대화 내용',
    'log.newMessages': '새 메시지 {count}개 ↓',
    'quickReplies.label': '빠른 답변',
    'composer.inputLabel': '메시지 입력',
    'composer.placeholder': '메시지를 입력하세요',
    'composer.hint': 'Enter 키로 보내고 Shift+Enter 키로 줄을 바꿉니다.',
    'composer.send': '보내기',
    'composer.attach': '사진 보내기',
    'composer.camera': '사진 찍기',
    'composer.location': '내 위치 보내기',
    'status.connecting': '연결 중…',
    'status.online': '연결됨',
    'status.offline': '연결 끊김 · 다시 연결하는 중…',
    'author.bot': '다정이(챗봇)',
    'author.counselor': '상담사',
    'author.system': '안내',
    'author.resident': '나',
    'state.sending': '보내는 중…',
    'state.waiting': '연결되면 보낼게요',
    'state.sent': '전송됨',
    'state.read': '읽음',
    'state.failed': '보내지 못했어요',
    'state.uploading': '사진 올리는 중… {percent}%',
    'typing.bot': '다정이가 답을 쓰고 있어요…',
    'typing.counselor': '상담사가 입력 중이에요…',
    'notice.sessionRestarted': '이전 대화가 만료되어 새 대화를 시작했어요.',
    'notice.photoType': 'JPG, PNG, WebP, GIF 사진만 보낼 수 있어요.',
    'notice.photoTooLarge': '사진이 너무 커요. 25MB 이하로 보내 주세요.',
    'notice.photoUnreadable': '이 사진을 읽을 수 없어요. 다른 사진을 골라 주세요.',
    'notice.locationDenied': '위치를 가져오지 못했어요. 주소를 글로 적어 주셔도 돼요.',
    'photo.retry': '다시 보내기',
    'message.location': '위치',
    'message.photo': '사진',
    'message.mapLink': '지도에서 보기',
  },
  en: {
    'header.title': 'Gyeonggi 120 Dajeong chat',
    'header.language': 'Language',
    'header.close': 'Close chat',
    'header.counselor': 'Talk to a counselor',
    'header.counselorLabel': 'Talk to a counselor',
    'intro.text': 'Ask us anything. In an emergency call 112 or 119; for phone help call 120.',
    'log.label': 'Conversation',
    'log.newMessages': '{count} new ↓',
    'quickReplies.label': 'Quick replies',
    'composer.inputLabel': 'Message',
    'composer.placeholder': 'Type your message',
    'composer.hint': 'Press Enter to send, Shift+Enter for a new line.',
    'composer.send': 'Send',
    'composer.attach': 'Send a photo',
    'composer.camera': 'Take a photo',
    'composer.location': 'Send my location',
    'status.connecting': 'Connecting…',
    'status.online': 'Connected',
    'status.offline': 'Connection lost · reconnecting…',
    'author.bot': 'Dajeong (chatbot)',
    'author.counselor': 'Counselor',
    'author.system': 'Notice',
    'author.resident': 'You',
    'state.sending': 'Sending…',
    'state.waiting': 'Will send when connected',
    'state.sent': 'Sent',
    'state.read': 'Read',
    'state.failed': 'Could not send',
    'state.uploading': 'Uploading photo… {percent}%',
    'typing.bot': 'Dajeong is writing…',
    'typing.counselor': 'The counselor is typing…',
    'notice.sessionRestarted': 'Your previous chat expired, so a new chat has started.',
    'notice.photoType': 'Only JPG, PNG, WebP and GIF photos can be sent.',
    'notice.photoTooLarge': 'This photo is too large. Please send one under 25 MB.',
    'notice.photoUnreadable': 'This photo cannot be read. Please choose another one.',
    'notice.locationDenied': 'Your location is not available. You can type the address instead.',
    'photo.retry': 'Send again',
    'message.location': 'Location',
    'message.photo': 'Photo',
    'message.mapLink': 'Show on a map',
  },
  zh: {
    'header.title': '京畿道 120 Dajeong 在线咨询',
    'header.language': '语言',
    'header.close': '关闭聊天',
    'header.counselor': '人工客服',
    'header.counselorLabel': '转接人工客服',
    'intro.text': '有问题请随时提问。紧急情况请拨打 112 或 119，电话咨询请拨打 120。',
    'log.label': '对话内容',
    'log.newMessages': '{count} 条新消息 ↓',
    'quickReplies.label': '快捷回复',
    'composer.inputLabel': '输入消息',
    'composer.placeholder': '请输入消息',
    'composer.hint': '按 Enter 发送，按 Shift+Enter 换行。',
    'composer.send': '发送',
    'composer.attach': '发送照片',
    'composer.camera': '拍照',
    'composer.location': '发送我的位置',
    'status.connecting': '正在连接…',
    'status.online': '已连接',
    'status.offline': '连接已断开 · 正在重新连接…',
    'author.bot': 'Dajeong（聊天机器人）',
    'author.counselor': '客服人员',
    'author.system': '通知',
    'author.resident': '我',
    'state.sending': '正在发送…',
    'state.waiting': '连接后发送',
    'state.sent': '已发送',
    'state.read': '已读',
    'state.failed': '发送失败',
    'state.uploading': '正在上传照片… {percent}%',
    'typing.bot': 'Dajeong 正在回复…',
    'typing.counselor': '客服人员正在输入…',
    'notice.sessionRestarted': '之前的对话已过期，已开始新的对话。',
    'notice.photoType': '只能发送 JPG、PNG、WebP、GIF 格式的照片。',
    'notice.photoTooLarge': '照片太大，请发送 25MB 以下的照片。',
    'notice.photoUnreadable': '无法读取这张照片，请选择其他照片。',
    'notice.locationDenied': '无法获取您的位置，您也可以直接输入地址。',
    'photo.retry': '重新发送',
    'message.location': '位置',
    'message.photo': '照片',
    'message.mapLink': '在地图上查看',
  },
  vi: {
    'header.title': 'Tư vấn trực tuyến Dajeong 120 tỉnh Gyeonggi',
    'header.language': 'Ngôn ngữ',
    'header.close': 'Đóng cuộc trò chuyện',
    'header.counselor': 'Gặp tư vấn viên',
    'header.counselorLabel': 'Nói chuyện với tư vấn viên',
    'intro.text': 'Hãy hỏi chúng tôi bất cứ điều gì. Khi khẩn cấp, gọi 112 hoặc 119; tư vấn qua điện thoại, gọi 120.',
    'log.label': 'Nội dung trò chuyện',
    'log.newMessages': '{count} tin nhắn mới ↓',
    'quickReplies.label': 'Trả lời nhanh',
    'composer.inputLabel': 'Nhập tin nhắn',
    'composer.placeholder': 'Nhập tin nhắn của bạn',
    'composer.hint': 'Nhấn Enter để gửi, Shift+Enter để xuống dòng.',
    'composer.send': 'Gửi',
    'composer.attach': 'Gửi ảnh',
    'composer.camera': 'Chụp ảnh',
    'composer.location': 'Gửi vị trí của tôi',
    'status.connecting': 'Đang kết nối…',
    'status.online': 'Đã kết nối',
    'status.offline': 'Mất kết nối · đang kết nối lại…',
    'author.bot': 'Dajeong (chatbot)',
    'author.counselor': 'Tư vấn viên',
    'author.system': 'Thông báo',
    'author.resident': 'Tôi',
    'state.sending': 'Đang gửi…',
    'state.waiting': 'Sẽ gửi khi có kết nối',
    'state.sent': 'Đã gửi',
    'state.read': 'Đã xem',
    'state.failed': 'Không gửi được',
    'state.uploading': 'Đang tải ảnh lên… {percent}%',
    'typing.bot': 'Dajeong đang trả lời…',
    'typing.counselor': 'Tư vấn viên đang nhập…',
    'notice.sessionRestarted': 'Cuộc trò chuyện trước đã hết hạn nên một cuộc trò chuyện mới đã bắt đầu.',
    'notice.photoType': 'Chỉ gửi được ảnh JPG, PNG, WebP và GIF.',
    'notice.photoTooLarge': 'Ảnh quá lớn. Vui lòng gửi ảnh dưới 25 MB.',
    'notice.photoUnreadable': 'Không đọc được ảnh này. Vui lòng chọn ảnh khác.',
    'notice.locationDenied': 'Không lấy được vị trí của bạn. Bạn có thể nhập địa chỉ.',
    'photo.retry': 'Gửi lại',
    'message.location': 'Vị trí',
    'message.photo': 'Ảnh',
    'message.mapLink': 'Xem trên bản đồ',
  },
};

/**
 * The string `key` in `lang`, with {placeholders} filled. Missing strings fall back to English for
 * other languages, then Korean (the catalogue's rule), so nothing shows blank.
 */
export function t(lang, key, values) {
  const text = STRINGS[lang]?.[key] ?? (lang !== 'ko' ? STRINGS.en[key] : undefined) ?? STRINGS.ko[key] ?? key;
  return values ? text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m)) : text;
}

const primary = (tag) =>
  String(tag ?? '')
    .slice(0, 2)
    .toLowerCase();

/**
 * The UI language to start with: the first of `choices` (the resident's saved choice, the host
 * page's hint) that the UI has, else the browser's when the UI has it, else English for a foreign
 * browser (a foreign resident more likely reads English than Korean) and Korean otherwise.
 */
export function pickLanguage(...choices) {
  for (const choice of choices) if (LANGUAGES.includes(primary(choice))) return primary(choice);
  const browser = primary(navigator.languages?.[0] ?? navigator.language);
  if (LANGUAGES.includes(browser)) return browser;
  return !browser ? 'ko' : 'en';
}

/**
 * The locale to open a session with, so the bot starts in the resident's language (it supports
 * more than the UI does): the browser's, unless the resident picked a UI language other than it.
 */
export function sessionLocale(lang, chosen) {
  const browser = navigator.languages?.[0] ?? navigator.language ?? '';
  const valid = /^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/.test(browser);
  if (valid && (!chosen || primary(browser) === lang)) return browser;
  return { ko: 'ko-KR', en: 'en', zh: 'zh-CN', vi: 'vi-VN' }[lang] ?? 'en';
}

/**
 * The language a text is most likely written in, from its script, for messages the server has not
 * labelled yet (the resident's own, before they are stored): Hangul ko, Han zh, Vietnamese letters vi.
 */
export function guessLanguage(text, fallback) {
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return 'vi';
  if (/[a-z]/i.test(text)) return 'en';
  return fallback;
}
