/**
 * Resident-facing texts of the human handoff, per language; `{name}` placeholders are filled by
 * `ht()`. Other languages fall back to English, then Korean (the rule in src/core/localized.ts).
 */
import { pickLocalized } from '../core/localized';

type Texts = Record<string, string>;

const TEXTS = {
  queuePosition: {
    ko: '현재 대기 순서는 {position}번째이고, 예상 대기 시간은 약 {minutes}분입니다.',
    en: 'You are number {position} in the queue. The estimated wait is about {minutes} min.',
    zh: '您目前排在第{position}位，预计等待约{minutes}分钟。',
    vi: 'Bạn đang ở vị trí thứ {position} trong hàng chờ. Thời gian chờ dự kiến khoảng {minutes} phút.',
    ja: '現在の順番は{position}番目で、待ち時間は約{minutes}分の見込みです。',
  },
  queueNoCounselor: {
    ko: '지금은 응대할 수 있는 상담사가 없어 바로 연결되지 않아요 (대기 {position}번째). {next}계속 기다리시거나, 메시지를 남겨 주시면 상담사가 확인 후 연락드립니다. 대화는 사라지지 않아요.',
    en: 'No counselor who can help you is free right now, so I cannot connect you at once (you are number {position}). {next}You can keep waiting, or leave a message and a counselor will contact you. Your chat will not be lost.',
    zh: '目前没有可以为您服务的咨询员，暂时无法立即转接（排在第{position}位）。{next}您可以继续等待，或留言，咨询员确认后会联系您。对话不会丢失。',
    vi: 'Hiện chưa có tư vấn viên phù hợp rảnh nên chưa thể kết nối ngay (bạn ở vị trí {position}). {next}Bạn có thể tiếp tục chờ, hoặc để lại lời nhắn và tư vấn viên sẽ liên hệ lại. Cuộc trò chuyện sẽ không bị mất.',
    ja: '現在対応できる相談員がいないため、すぐにはおつなぎできません（{position}番目）。{next}このままお待ちいただくか、メッセージを残していただければ相談員から連絡します。会話は消えません。',
  },
  nextShift: {
    ko: '다음 상담 근무는 {time}경 시작됩니다. ',
    en: 'The next counselor shift starts around {time}. ',
    zh: '下一班咨询员约{time}开始上班。',
    vi: 'Ca tư vấn tiếp theo bắt đầu khoảng {time}. ',
    ja: '次の相談員の勤務は{time}頃に始まります。',
  },
  keepWaitingLabel: { ko: '계속 기다릴게요', en: 'Keep waiting', zh: '继续等待', vi: 'Tiếp tục chờ', ja: '待ちます' },
  leaveMessageLabel: { ko: '메시지 남기기', en: 'Leave a message', zh: '留言', vi: 'Để lại lời nhắn', ja: 'メッセージを残す' },
  keepWaitingAck: {
    ko: '네, 대기 순서를 유지할게요. 상담사가 연결되면 바로 알려 드릴게요.',
    en: 'Thank you. You keep your place in the queue; I will tell you as soon as a counselor joins.',
    zh: '好的，为您保留排队位置。咨询员接入后会立即通知您。',
    vi: 'Cảm ơn bạn. Bạn vẫn giữ vị trí trong hàng chờ; tôi sẽ báo ngay khi tư vấn viên tham gia.',
    ja: 'ありがとうございます。順番はそのままです。相談員が参加したらすぐにお知らせします。',
  },
  leaveMessagePrompt: {
    ko: '문의 내용과 연락받으실 방법(전화번호 등)을 남겨 주세요. 상담사가 확인 후 연락드립니다.',
    en: 'Please write your question and how we can reach you (for example a phone number). A counselor will contact you.',
    zh: '请留下您的问题和联系方式（如电话号码）。咨询员确认后会联系您。',
    vi: 'Vui lòng để lại câu hỏi và cách liên lạc (ví dụ số điện thoại). Tư vấn viên sẽ liên hệ lại với bạn.',
    ja: 'ご用件と連絡先（電話番号など）をお書きください。相談員から連絡します。',
  },
  counselorJoined: {
    ko: '{name} 상담사가 연결되었습니다. 무엇을 도와드릴까요?',
    en: 'Counselor {name} has joined the chat. How can we help you?',
    zh: '咨询员{name}已接入。请问有什么可以帮您？',
    vi: 'Tư vấn viên {name} đã tham gia. Chúng tôi có thể giúp gì cho bạn?',
    ja: '相談員の{name}が参加しました。どのようなご用件でしょうか。',
  },
  transferred: {
    ko: '더 잘 도와드릴 수 있는 상담사에게 연결하고 있어요. 잠시만 기다려 주세요.',
    en: 'I am passing you to a counselor who can help you better. Please wait a moment.',
    zh: '正在为您转接更合适的咨询员，请稍候。',
    vi: 'Tôi đang chuyển bạn đến tư vấn viên phù hợp hơn. Vui lòng chờ trong giây lát.',
    ja: 'より適切な相談員におつなぎしています。少々お待ちください。',
  },
  backToBot: {
    ko: '상담사와의 상담이 끝나 챗봇 다정이가 다시 도와드릴게요. 상담사가 필요하면 언제든 "상담사 연결"이라고 말씀하세요.',
    en: 'The counselor has handed you back to me, Dajeong the chatbot. Say "talk to a counselor" at any time to reach a person again.',
    zh: '咨询员已将对话交回聊天机器人。如需再次联系咨询员，请随时说“联系咨询员”。',
    vi: 'Tư vấn viên đã chuyển bạn lại cho chatbot Dajeong. Hãy nói "gặp tư vấn viên" bất cứ lúc nào để nói chuyện với người thật.',
    ja: '相談員からチャットボットに戻りました。いつでも「相談員につないで」と言えば、また相談員とお話しできます。',
  },
  closed: {
    ko: '상담이 종료되었습니다. 이용해 주셔서 감사합니다.',
    en: 'This conversation has been closed. Thank you for contacting the 120 call center.',
    zh: '本次咨询已结束。感谢您的使用。',
    vi: 'Cuộc tư vấn đã kết thúc. Cảm ơn bạn đã liên hệ tổng đài 120.',
    ja: '相談を終了しました。ご利用ありがとうございました。',
  },
  surveyIntro: {
    ko: '더 나은 상담을 위해 짧은 만족도 조사(3문항)에 답해 주세요. 1점(매우 불만족)~5점(매우 만족)입니다.',
    en: 'Please help us improve with a short survey (3 questions), from 1 (very dissatisfied) to 5 (very satisfied).',
    zh: '为了提供更好的服务，请参加简短的满意度调查（3个问题），1分（非常不满意）至5分（非常满意）。',
    vi: 'Vui lòng giúp chúng tôi cải thiện bằng khảo sát ngắn (3 câu), từ 1 (rất không hài lòng) đến 5 (rất hài lòng).',
    ja: 'より良い相談のため、短い満足度調査（3問）にご協力ください。1（とても不満）〜5（とても満足）です。',
  },
  surveyKindness: {
    ko: '상담사는 친절했나요?',
    en: 'Was the counselor kind?',
    zh: '咨询员态度亲切吗？',
    vi: 'Tư vấn viên có thân thiện không?',
    ja: '相談員は親切でしたか。',
  },
  surveyProfessionalism: {
    ko: '상담 내용은 정확하고 전문적이었나요?',
    en: 'Was the answer accurate and professional?',
    zh: '咨询内容准确、专业吗？',
    vi: 'Câu trả lời có chính xác và chuyên nghiệp không?',
    ja: '回答は正確で専門的でしたか。',
  },
  surveyPromptness: {
    ko: '상담은 신속했나요?',
    en: 'Was the help prompt?',
    zh: '咨询是否迅速？',
    vi: 'Việc hỗ trợ có nhanh chóng không?',
    ja: '対応は迅速でしたか。',
  },
  surveyTextHint: {
    ko: '1~5 중 숫자로 답해 주세요.',
    en: 'Reply with a number from 1 to 5.',
    zh: '请回复1到5之间的数字。',
    vi: 'Vui lòng trả lời bằng một số từ 1 đến 5.',
    ja: '1〜5の数字でお答えください。',
  },
  surveyComment: {
    ko: '하고 싶은 말씀이 있으면 자유롭게 적어 주세요. 없으면 "건너뛰기"를 눌러 주세요.',
    en: 'Anything else you would like to tell us? Write it here, or tap "Skip".',
    zh: '如有其他意见，请随意填写；没有请点击“跳过”。',
    vi: 'Bạn có muốn góp ý thêm không? Hãy viết ở đây, hoặc nhấn "Bỏ qua".',
    ja: 'ご意見があればご自由にお書きください。なければ「スキップ」を押してください。',
  },
  skipLabel: { ko: '건너뛰기', en: 'Skip', zh: '跳过', vi: 'Bỏ qua', ja: 'スキップ' },
  surveyThanks: {
    ko: '소중한 의견 감사합니다. 더 필요한 것이 있으면 언제든 말씀해 주세요.',
    en: 'Thank you for your feedback. If you need anything else, just write.',
    zh: '感谢您的宝贵意见。如有其他需要，请随时告诉我们。',
    vi: 'Cảm ơn ý kiến của bạn. Nếu cần gì thêm, bạn cứ nhắn nhé.',
    ja: '貴重なご意見ありがとうございます。ほかにご用があればいつでもどうぞ。',
  },
  helpfulQuestion: {
    ko: '제 답변이 도움이 되었나요?',
    en: 'Did this help?',
    zh: '我的回答对您有帮助吗？',
    vi: 'Câu trả lời có giúp ích cho bạn không?',
    ja: 'お役に立てましたか。',
  },
  yesLabel: { ko: '네, 도움이 됐어요', en: 'Yes, it helped', zh: '有帮助', vi: 'Có, hữu ích', ja: 'はい、役に立った' },
  noLabel: { ko: '아니요', en: 'No', zh: '没有帮助', vi: 'Không', ja: 'いいえ' },
  helpfulThanks: {
    ko: '알려 주셔서 감사합니다!',
    en: 'Thanks for letting us know!',
    zh: '感谢您的反馈！',
    vi: 'Cảm ơn bạn đã cho biết!',
    ja: 'お知らせいただきありがとうございます。',
  },
  abuseWarning: {
    ko: '상담사도 누군가의 소중한 가족입니다. 욕설이나 모욕적인 표현이 계속되면 관련 법령에 따라 상담이 종료될 수 있어요. 정중한 표현으로 말씀해 주시면 끝까지 도와드리겠습니다.',
    en: 'Our counselors are here to help you. If abusive or insulting language continues, this conversation may be ended as the law allows. Please keep it respectful and we will help you through to the end.',
    zh: '咨询员也是别人珍贵的家人。如果继续使用辱骂或侮辱性语言，咨询可能会依法终止。请文明表达，我们会尽力帮助您。',
    vi: 'Tư vấn viên luôn sẵn lòng giúp bạn. Nếu tiếp tục dùng lời lẽ xúc phạm, cuộc trò chuyện có thể bị kết thúc theo quy định. Vui lòng giữ thái độ tôn trọng, chúng tôi sẽ hỗ trợ bạn đến cùng.',
    ja: '相談員も誰かの大切な家族です。暴言や侮辱的な表現が続く場合、法令に基づき相談を終了することがあります。丁寧な表現でお話しいただければ、最後までお手伝いします。',
  },
} satisfies Record<string, Texts>;

export type HandoffTextKey = keyof typeof TEXTS;

/** Text in the resident's language with `{name}` placeholders filled. */
export function ht(key: HandoffTextKey, language: string | undefined, vars: Record<string, string | number> = {}): string {
  const template = pickLocalized<string>(TEXTS[key], language) ?? '';
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
