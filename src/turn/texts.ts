/** Resident-facing texts of the core policy, per language; Korean is the fallback. */
import { pickLocalized } from '../core/localized';

type Texts = Record<string, string>;

const TEXTS: Record<string, Texts> = {
  greeting: {
    ko: '안녕하세요, 경기도 120 상담 챗봇 다정이에요. 교통, 도로 신고, 생활폐기물, 상수도, 민원서류, 지방세, 복지 등 무엇이든 물어보세요.',
    en: "Hello, I'm Dajeong, the Gyeonggi 120 call center chatbot. Ask me about transport, road reports, waste, water, documents, local taxes, welfare and more.",
    zh: '您好，我是京畿道120咨询聊天机器人“多情”。您可以咨询交通、道路报修、垃圾、自来水、证明文件、地方税、福利等问题。',
    vi: 'Xin chào, tôi là Dajeong, chatbot của tổng đài 120 tỉnh Gyeonggi. Bạn có thể hỏi về giao thông, báo hỏng đường, rác thải, nước, giấy tờ, thuế địa phương, phúc lợi...',
    ja: 'こんにちは。京畿道120コールセンターのチャットボット「ダジョン」です。交通、道路の通報、ごみ、水道、証明書、地方税、福祉などについてお尋ねください。',
  },
  rephrase: {
    ko: '죄송해요, 제가 잘 이해하지 못했어요. 조금 다르게 말씀해 주시겠어요? 예: "7-2번 버스 첫차 시간", "도로에 구멍이 났어요"',
    en: 'Sorry, I did not quite understand. Could you say it another way? For example: "first bus time for route 7-2" or "there is a pothole on my road".',
    zh: '抱歉，我没有完全理解。能换个说法吗？',
    vi: 'Xin lỗi, tôi chưa hiểu rõ. Bạn có thể nói theo cách khác không?',
    ja: 'すみません、よく分かりませんでした。別の言い方でお願いできますか。',
  },
  offerCounselor: {
    ko: '제가 계속 이해하지 못해 죄송해요. 상담사와 직접 이야기하시겠어요? 상담사는 24시간 연결됩니다.',
    en: "I'm sorry I keep missing it. Would you like to talk to a counselor? Counselors are available 24/7.",
    zh: '很抱歉一直没能理解。您想和咨询员直接交谈吗？咨询员24小时在线。',
    vi: 'Xin lỗi vì tôi chưa hiểu được. Bạn có muốn nói chuyện với tư vấn viên không? Tư vấn viên trực 24/7.',
    ja: '何度もすみません。相談員とお話しになりますか。相談員は24時間対応しています。',
  },
  connectLabel: { ko: '상담사 연결', en: 'Talk to a counselor', zh: '联系咨询员', vi: 'Gặp tư vấn viên', ja: '相談員につなぐ' },
  retryLabel: { ko: '다시 질문하기', en: 'Ask again', zh: '重新提问', vi: 'Hỏi lại', ja: 'もう一度質問する' },
  queued: {
    ko: '상담사에게 연결해 드릴게요. 대기 순서대로 상담사가 이 대화에 들어옵니다. 창을 닫으셔도 답변은 여기에 남아요.',
    en: 'I am connecting you to a counselor. A counselor will join this chat in queue order. You can close this window; the reply will wait for you here.',
    zh: '正在为您转接咨询员。咨询员将按排队顺序加入本对话。即使关闭窗口，回复也会保留在这里。',
    vi: 'Tôi đang kết nối bạn với tư vấn viên. Tư vấn viên sẽ tham gia cuộc trò chuyện theo thứ tự. Bạn có thể đóng cửa sổ, câu trả lời vẫn được lưu ở đây.',
    ja: '相談員におつなぎします。順番に相談員がこのチャットに参加します。画面を閉じても返信はここに残ります。',
  },
  crisis: {
    ko: '지금 많이 힘드시군요. 말씀해 주셔서 고마워요. 혼자 견디지 않으셔도 돼요. 바로 상담사를 연결하고 있어요.\n지금 바로 이야기할 곳: 자살예방상담전화 109 (24시간), 정신건강위기상담 1577-0199. 위급하면 119 또는 112에 전화하세요.',
    en: 'It sounds like you are going through a lot right now. Thank you for telling me; you do not have to face this alone. I am connecting you to a counselor now.\nTo talk to someone right away in Korea: suicide prevention line 109 (24/7), mental health crisis line 1577-0199. In an emergency call 119 or 112.',
    zh: '听起来您现在非常痛苦。谢谢您告诉我，您不必独自承受。我正在为您联系咨询员。\n现在就可以拨打：自杀预防热线109（24小时），心理健康危机咨询1577-0199。紧急情况请拨打119或112。',
    vi: 'Có vẻ bạn đang rất khó khăn. Cảm ơn bạn đã chia sẻ, bạn không phải chịu đựng một mình. Tôi đang kết nối bạn với tư vấn viên.\nGọi ngay: đường dây phòng chống tự tử 109 (24/7), tư vấn khủng hoảng tâm lý 1577-0199. Khẩn cấp hãy gọi 119 hoặc 112.',
    ja: 'とてもつらい状況なのですね。話してくださってありがとうございます。一人で抱え込まなくて大丈夫です。今すぐ相談員におつなぎします。\nすぐに話せる窓口：自殺予防相談電話109（24時間）、精神健康危機相談1577-0199。緊急時は119または112へ。',
  },
  error: {
    ko: '죄송해요, 잠시 문제가 생겼어요. 메시지는 저장되었고 곧 답변드릴게요. 급하시면 120으로 전화 주세요.',
    en: 'Sorry, something went wrong on our side. Your message is saved and we will answer shortly. If it is urgent, call 120.',
  },
  languageFallback: {
    en: '(This answer is only available in Korean for now.)',
    zh: '（此回答目前只有韩语版本。）',
    vi: '(Câu trả lời này hiện chỉ có bằng tiếng Hàn.)',
    ja: '（この回答は現在韓国語のみです。）',
  },
};

export type TextKey = keyof typeof TEXTS;

/** Text in the resident's language; English for other non-Korean languages; Korean last. */
export function t(key: TextKey, language: string | undefined): string {
  return pickLocalized(TEXTS[key], language) ?? '';
}
