/** Resident-facing texts every flow shares (buttons, cancel, pause, confirm summary). */
import { pickLocalized } from '../core/localized';

type Localized = Record<string, string>;

const TEXTS = {
  cancelLabel: { ko: '취소', en: 'Cancel', zh: '取消', vi: 'Hủy' },
  resumeLabel: { ko: '이어서 하기', en: 'Continue', zh: '继续', vi: 'Tiếp tục' },
  skipPhotoLabel: { ko: '사진 없음', en: 'No photo', zh: '没有照片', vi: 'Không có ảnh' },
  yesLabel: { ko: '네, 접수해 주세요', en: 'Yes, submit', zh: '是，提交', vi: 'Có, gửi đi' },
  noLabel: { ko: '아니요, 취소', en: 'No, cancel', zh: '不，取消', vi: 'Không, hủy' },
  mineLabel: { ko: '내 민원 보기', en: 'My reports', zh: '我的投诉', vi: 'Báo cáo của tôi' },
  counselorLabel: { ko: '상담사 연결', en: 'Talk to a counselor', zh: '联系咨询员', vi: 'Gặp tư vấn viên' },
  cancelled: {
    ko: '{title}을(를) 취소했어요. 입력하신 내용은 접수되지 않았어요. 다른 도움이 필요하시면 말씀해 주세요.',
    en: '{title} cancelled; nothing was submitted. Let me know if I can help with anything else.',
    zh: '已取消{title}，没有提交任何内容。如需其他帮助请告诉我。',
    vi: 'Đã hủy {title}; chưa có gì được gửi. Bạn cần giúp gì khác cứ nói nhé.',
  },
  paused: {
    ko: '진행 중이던 {title}은(는) 잠시 멈춰 두었어요. 이어서 하시겠어요?',
    en: 'Your {title} is on hold. Would you like to continue it?',
    zh: '您的{title}已暂停。要继续吗？',
    vi: '{title} của bạn đang tạm dừng. Bạn có muốn tiếp tục không?',
  },
  resumed: {
    ko: '{title}을(를) 이어서 진행할게요.',
    en: "Let's continue your {title}.",
    zh: '我们继续{title}。',
    vi: 'Chúng ta tiếp tục {title} nhé.',
  },
  replaced: {
    ko: '멈춰 두었던 {title}은(는) 취소하고 새로 시작할게요.',
    en: 'I cancelled the {title} that was on hold and am starting a new one.',
    zh: '已取消暂停中的{title}，重新开始。',
    vi: 'Tôi đã hủy {title} đang tạm dừng và bắt đầu cái mới.',
  },
  tooManyRetries: {
    ko: '입력이 잘 전달되지 않는 것 같아요. 상담사가 이어서 도와드릴 수 있어요. 상담사를 연결할까요? 다시 입력하셔도 돼요.',
    en: "It seems this isn't coming through. A counselor can take it from here. Shall I connect you? You can also try again.",
    zh: '输入似乎没能顺利传达。咨询员可以接着帮您。要联系咨询员吗？您也可以再试一次。',
    vi: 'Có vẻ thông tin chưa được ghi nhận. Tư vấn viên có thể giúp bạn tiếp. Kết nối tư vấn viên nhé? Bạn cũng có thể thử lại.',
  },
  summaryHeader: {
    ko: '접수 내용을 확인해 주세요.',
    en: 'Please check your report.',
    zh: '请确认报修内容。',
    vi: 'Vui lòng kiểm tra báo cáo.',
  },
  summaryType: { ko: '종류', en: 'Type', zh: '类型', vi: 'Loại' },
  summaryLocation: { ko: '위치', en: 'Location', zh: '位置', vi: 'Vị trí' },
  summaryDescription: { ko: '내용', en: 'Description', zh: '内容', vi: 'Mô tả' },
  summaryPhotos: { ko: '사진', en: 'Photos', zh: '照片', vi: 'Ảnh' },
  photoCount: { ko: '{n}장', en: '{n}', zh: '{n}张', vi: '{n} ảnh' },
  noPhotos: { ko: '없음', en: 'none', zh: '无', vi: 'không có' },
  mapPin: {
    ko: '지도 위치 ({lat}, {lon})',
    en: 'map location ({lat}, {lon})',
    zh: '地图位置（{lat}, {lon}）',
    vi: 'vị trí bản đồ ({lat}, {lon})',
  },
  notFound: {
    ko: '접수번호 {reference}인 민원을 찾지 못했어요. 이 채팅에서 접수하신 민원만 조회할 수 있어요. 번호를 다시 확인하시거나 120으로 전화해 주세요.',
    en: "I couldn't find a report {reference}. Only reports made in this chat can be looked up here. Please check the number, or call 120.",
    zh: '未找到受理编号为 {reference} 的投诉。这里只能查询在本聊天中提交的投诉。请核对编号，或拨打120。',
    vi: 'Không tìm thấy báo cáo {reference}. Ở đây chỉ tra cứu được báo cáo gửi trong cuộc trò chuyện này. Hãy kiểm tra lại mã số hoặc gọi 120.',
  },
  noTickets: {
    ko: '이 채팅에서 접수하신 민원이 없어요. 다른 창구로 내신 민원은 그 창구에서 조회해 주세요.',
    en: 'You have no reports from this chat. Complaints filed through other channels can be checked there.',
    zh: '您在本聊天中没有提交过投诉。通过其他渠道提交的投诉请在相应渠道查询。',
    vi: 'Bạn chưa gửi báo cáo nào trong cuộc trò chuyện này. Khiếu nại gửi qua kênh khác hãy tra cứu ở kênh đó.',
  },
  yourTickets: {
    ko: '최근 접수하신 민원이에요.',
    en: 'Your recent reports:',
    zh: '您最近提交的投诉：',
    vi: 'Các báo cáo gần đây của bạn:',
  },
} satisfies Record<string, Localized>;

export type FlowTextKey = keyof typeof TEXTS;

/** Picks a language from a localized map (core/localized's rule); '' when it has none. */
export function pick(map: Localized, language: string): string {
  return pickLocalized(map, language) ?? '';
}

const PARTICLES: Record<string, [withFinal: string, withoutFinal: string]> = {
  '은(는)': ['은', '는'],
  '을(를)': ['을', '를'],
  '이(가)': ['이', '가'],
  '과(와)': ['과', '와'],
};

/**
 * Resolves Korean particle choices written as "신고은(는)" by the preceding syllable: a final
 * consonant takes the first form ("조회는", "신청은"). After a non-Hangul character both stay.
 */
export function resolveParticles(text: string): string {
  return text.replace(
    /(.)(은\(는\)|을\(를\)|이\(가\)|과\(와\))/gu,
    (match: string, before: string, pair: string) => {
      const code = before.charCodeAt(0) - 0xac00;
      if (code < 0 || code > 11171) return match;
      const [withFinal, withoutFinal] = PARTICLES[pair]!;
      return before + (code % 28 !== 0 ? withFinal : withoutFinal);
    },
  );
}

/** A shared flow text with `{placeholders}` filled. */
export function ft(key: FlowTextKey, language: string, values: Record<string, string | number> = {}): string {
  return resolveParticles(
    pick(TEXTS[key], language).replace(/\{(\w+)\}/g, (m, k: string) =>
      values[k] !== undefined ? String(values[k]) : m,
    ),
  );
}
