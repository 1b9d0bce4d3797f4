/** Resident-facing texts of FAQ answers. */
import { pickLocalized } from '../core/localized';

type Localized = Record<string, string>;

const TEXTS = {
  notHelpfulLabel: { ko: '도움이 안 됐어요', en: "This didn't help", zh: '没有帮助', vi: 'Chưa giúp được' },
  sorry: {
    ko: '도움이 되지 못해 죄송해요. 남겨 주신 질문은 답변 개선에 쓰일게요. 조금 다르게 물어봐 주시거나 상담사와 이야기하실 수 있어요.',
    en: "Sorry that didn't help. Your question will be used to improve the answers. You can ask it another way, or talk to a counselor.",
    zh: '抱歉没能帮上忙。您的问题将用于改进回答。您可以换个说法，或与咨询员交谈。',
    vi: 'Xin lỗi vì chưa giúp được. Câu hỏi của bạn sẽ được dùng để cải thiện câu trả lời. Bạn có thể hỏi cách khác hoặc nói chuyện với tư vấn viên.',
  },
  counselorLabel: { ko: '상담사 연결', en: 'Talk to a counselor', zh: '联系咨询员', vi: 'Gặp tư vấn viên' },
  noticesHeader: { ko: '[현재 안내]', en: '[Current notices]', zh: '[当前通知]', vi: '[Thông báo hiện tại]' },
} satisfies Record<string, Localized>;

/** Text in the resident's language, English for other non-Korean languages, Korean last. */
export function faqText(key: keyof typeof TEXTS, language: string): string {
  return pickLocalized<string>(TEXTS[key], language) ?? '';
}
