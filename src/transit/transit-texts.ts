/** Resident-facing texts of transit answers in ko/en/zh/vi; other languages get English. */
import { pickLocalized } from '../core/localized';
import type { DayKind } from './service-calendar';
import { formatClock, isNextDay, weekdayOf } from './gtfs-time';

type Localized = Record<'ko' | 'en' | 'zh' | 'vi', string>;

const TEXTS = {
  notConfigured: {
    ko: '죄송해요, 아직 버스·지하철 시간표 데이터가 연결되어 있지 않아 정확한 시각을 바로 알려드리기 어려워요. 경기도 버스정보시스템(gbis.go.kr)이나 경기버스정보 앱에서 노선을 검색하면 첫차·막차 시간과 배차 간격을 확인할 수 있어요.',
    en: "Sorry, timetable data for buses and subways is not connected yet, so I can't give you the exact time. Search for your route on the Gyeonggi Bus Information System (gbis.go.kr) or the Gyeonggi Bus Info app to see first and last departures and intervals.",
    zh: '抱歉，公交和地铁时刻表数据尚未接入，暂时无法直接告诉您准确时间。请在京畿道公交信息系统（gbis.go.kr）或“경기버스정보”应用中搜索线路，查看首末班时间和发车间隔。',
    vi: 'Xin lỗi, dữ liệu lịch chạy xe buýt và tàu điện chưa được kết nối nên tôi chưa thể cho biết giờ chính xác. Hãy tìm tuyến trên gbis.go.kr hoặc ứng dụng 경기버스정보 để xem giờ chuyến đầu, chuyến cuối và khoảng cách giữa các chuyến.',
  },
  loading: {
    ko: '시간표 데이터를 불러오는 중이에요. 잠시 후 다시 물어봐 주세요. 그동안은 경기도 버스정보시스템(gbis.go.kr)에서 확인할 수 있어요.',
    en: 'The timetable data is still loading. Please ask again in a moment; meanwhile gbis.go.kr has the times.',
    zh: '时刻表数据正在加载，请稍后再问。您也可以先在 gbis.go.kr 查询。',
    vi: 'Dữ liệu lịch chạy đang được tải. Vui lòng hỏi lại sau ít phút; trong lúc đó bạn có thể xem trên gbis.go.kr.',
  },
  askRoute: {
    ko: '어느 노선인지 알려 주세요. 버스 번호(예: 7-2번)나 지하철 노선 이름(예: 수인분당선)을 적어 주시면 돼요.',
    en: 'Which route? Tell me the bus number (e.g. 7-2) or the subway line (e.g. Suin-Bundang Line).',
    zh: '请问是哪条线路？请告诉我公交线路号（如 7-2）或地铁线路名称。',
    vi: 'Bạn hỏi tuyến nào? Hãy cho tôi số xe buýt (ví dụ 7-2) hoặc tên tuyến tàu điện.',
  },
  askRouteAtStop: {
    ko: '{stop}에 서는 노선 중 어느 노선인가요?',
    en: 'Which of the routes at {stop}?',
    zh: '请问是经过{stop}的哪条线路？',
    vi: 'Tuyến nào trong các tuyến dừng ở {stop}?',
  },
  chooseRoute: {
    ko: '{number}번 노선이 여러 지역에 있어요. 어느 노선인가요?',
    en: 'There is more than one route {number}. Which one?',
    zh: '有多条 {number} 路线路，请问是哪一条？',
    vi: 'Có nhiều tuyến số {number}. Bạn hỏi tuyến nào?',
  },
  askKind: {
    ko: '{route}의 무엇이 궁금하세요?',
    en: 'What would you like to know about {route}?',
    zh: '您想了解{route}的什么信息？',
    vi: 'Bạn muốn biết gì về {route}?',
  },
  askStop: {
    ko: '{route}을(를) 어느 정류장(역)에서 타시나요? 정류장 이름을 적어 주세요.',
    en: 'Where do you board {route}? Tell me the stop or station name.',
    zh: '您在哪个站乘坐{route}？请告诉我站名。',
    vi: 'Bạn lên {route} ở trạm nào? Hãy cho tôi tên trạm.',
  },
  chooseStop: {
    ko: "'{stop}'(으)로 찾은 정류장이 여러 곳이에요. 어느 곳인가요?",
    en: "Several stops look like '{stop}'. Which one?",
    zh: '有多个与“{stop}”相似的站点，请问是哪一个？',
    vi: "Có nhiều trạm giống '{stop}'. Bạn chọn trạm nào?",
  },
  routeNotFound: {
    ko: '{number}번 노선은 시간표에 없어요. 번호를 다시 확인해 주세요.',
    en: 'Route {number} is not in the timetable. Please check the number.',
    zh: '时刻表中没有 {number} 路线路，请确认线路号。',
    vi: 'Không có tuyến {number} trong lịch chạy. Vui lòng kiểm tra lại số tuyến.',
  },
  didYouMean: {
    ko: '혹시 이 노선을 찾으셨나요?',
    en: 'Did you mean one of these?',
    zh: '您要找的是不是这条线路？',
    vi: 'Có phải bạn tìm tuyến này?',
  },
  stopNotFound: {
    ko: "'{stop}' 정류장을 찾지 못했어요. 정류장 이름을 다시 적어 주세요.",
    en: "I couldn't find a stop called '{stop}'. Please type the stop name again.",
    zh: '没有找到“{stop}”站，请重新输入站名。',
    vi: "Không tìm thấy trạm '{stop}'. Vui lòng nhập lại tên trạm.",
  },
  stopNotServed: {
    ko: "{route}은(는) '{stop}'에 서지 않아요. 이 노선이 서는 정류장 이름을 적어 주세요.",
    en: "{route} does not stop at '{stop}'. Please give a stop on this route.",
    zh: '{route}不经过“{stop}”，请告诉我该线路经过的站名。',
    vi: "{route} không dừng ở '{stop}'. Hãy cho tôi tên một trạm trên tuyến này.",
  },
  noService: {
    ko: '{route}은(는) {date}에 운행하는 차편이 없어요.',
    en: '{route} has no service on {date}.',
    zh: '{route}在{date}没有班次。',
    vi: '{route} không chạy vào {date}.',
  },
  firstHeader: { ko: '{route} 첫차예요.', en: 'First {route} departures:', zh: '{route}首班车：', vi: 'Chuyến đầu của {route}:' },
  lastHeader: { ko: '{route} 막차예요.', en: 'Last {route} departures:', zh: '{route}末班车：', vi: 'Chuyến cuối của {route}:' },
  firstAtHeader: { ko: '{stop}에서 타는 {route} 첫차예요.', en: 'First {route} at {stop}:', zh: '{stop}站{route}首班车：', vi: 'Chuyến đầu của {route} tại {stop}:' },
  lastAtHeader: { ko: '{stop}에서 타는 {route} 막차예요.', en: 'Last {route} at {stop}:', zh: '{stop}站{route}末班车：', vi: 'Chuyến cuối của {route} tại {stop}:' },
  tomorrowNote: {
    ko: '오늘 운행은 끝나서 다음 운행일 첫차를 알려드려요.',
    en: "Today's service has ended, so these are the next day's first departures.",
    zh: '今天的运营已结束，以下是下一运营日的首班车。',
    vi: 'Hôm nay đã hết chuyến, đây là chuyến đầu của ngày chạy tiếp theo.',
  },
  directionLine: { ko: '· {towards} 방면: {time}', en: '· towards {towards}: {time}', zh: '· 往{towards}方向：{time}', vi: '· hướng {towards}: {time}' },
  fromStop: { ko: '({stop} 출발)', en: '(from {stop})', zh: '（{stop}发车）', vi: '(từ {stop})' },
  nextHeader: {
    ko: '{stop}에서 타는 {route} 다음 출발이에요 (지금 {now} 기준, 시간표).',
    en: 'Next {route} departures at {stop} (now {now}, timetable):',
    zh: '{stop}站{route}接下来的班次（现在{now}，按时刻表）：',
    vi: 'Các chuyến {route} tiếp theo tại {stop} (bây giờ {now}, theo lịch):',
  },
  noMoreToday: {
    ko: '오늘은 {stop}에서 출발하는 {route}이(가) 더 없어요.',
    en: 'No more {route} from {stop} today.',
    zh: '今天{stop}站已没有{route}的班次。',
    vi: 'Hôm nay không còn chuyến {route} nào từ {stop}.',
  },
  headwayHeader: { ko: '{route} 배차간격이에요.', en: 'How often {route} runs:', zh: '{route}发车间隔：', vi: 'Tần suất của {route}:' },
  headwayWindow: { ko: '{start}~{end} {minutes}분', en: '{start}–{end} every {minutes} min', zh: '{start}–{end} 每{minutes}分钟', vi: '{start}–{end} mỗi {minutes} phút' },
  headwayComputed: {
    ko: '보통 {median}분 간격 (하루 {count}회, {first}~{last})',
    en: 'usually every {median} min ({count} trips, {first}–{last})',
    zh: '通常每{median}分钟一班（每天{count}班，{first}–{last}）',
    vi: 'thường {median} phút một chuyến ({count} chuyến, {first}–{last})',
  },
  headwaySingle: { ko: '하루 {count}회 운행', en: '{count} trip(s) a day', zh: '每天{count}班', vi: '{count} chuyến/ngày' },
  basis: {
    ko: '기준: {date} {day} 운행표{services} · 출처: {feed}',
    en: 'Based on the {day} timetable for {date}{services} · Source: {feed}',
    zh: '依据：{date} {day}时刻表{services} · 来源：{feed}',
    vi: 'Theo lịch {day} ngày {date}{services} · Nguồn: {feed}',
  },
  servicesSuffix: { ko: ' (운행 구분: {ids})', en: ' (service {ids})', zh: '（服务：{ids}）', vi: ' (dịch vụ {ids})' },
  feedVersion: { ko: '{name} {version} 버전', en: '{name}, version {version}', zh: '{name}，版本 {version}', vi: '{name}, phiên bản {version}' },
  feedDated: { ko: '{name} ({date} 자료)', en: '{name} (data of {date})', zh: '{name}（{date}数据）', vi: '{name} (dữ liệu ngày {date})' },
  afterMidnight: { ko: '{time}(자정 넘어)', en: '{time} (after midnight)', zh: '{time}（次日凌晨）', vi: '{time} (sau nửa đêm)' },
  otherServiceDay: { ko: '[{date} 운행분]', en: '[service of {date}]', zh: '[{date}班次]', vi: '[chuyến của ngày {date}]' },
  liveHeader: { ko: '실시간 도착 정보:', en: 'Live arrivals:', zh: '实时到站：', vi: 'Xe sắp đến (thời gian thực):' },
  liveLine: {
    ko: '· {towards} 방면: {minutes}분 후 도착 예정 ({stops}정거장 전)',
    en: '· towards {towards}: in {minutes} min ({stops} stops away)',
    zh: '· 往{towards}方向：约{minutes}分钟后到站（还有{stops}站）',
    vi: '· hướng {towards}: khoảng {minutes} phút nữa (còn {stops} trạm)',
  },
  liveNone: {
    ko: '지금 이 정류장으로 오고 있는 {route} 차량 정보가 없어요.',
    en: 'No {route} bus is on its way to this stop right now.',
    zh: '目前没有正在驶来本站的{route}车辆。',
    vi: 'Hiện không có xe {route} nào đang đến trạm này.',
  },
  liveFallback: {
    ko: '실시간 도착 정보를 지금 받을 수 없어 시간표 기준으로 안내해요.',
    en: 'Live arrival information is unavailable right now, so this is from the timetable.',
    zh: '目前无法获取实时到站信息，以下按时刻表提供。',
    vi: 'Hiện không lấy được thông tin thời gian thực, nên đây là theo lịch chạy.',
  },
  kindFirst: { ko: '첫차', en: 'First departure', zh: '首班车', vi: 'Chuyến đầu' },
  kindLast: { ko: '막차', en: 'Last departure', zh: '末班车', vi: 'Chuyến cuối' },
  kindNext: { ko: '다음 차', en: 'Next departures', zh: '下一班', vi: 'Chuyến tiếp theo' },
  kindHeadway: { ko: '배차간격', en: 'How often', zh: '发车间隔', vi: 'Tần suất' },
  busRoute: { ko: '{number}번 버스', en: 'bus {number}', zh: '{number}路公交', vi: 'xe buýt {number}' },
  noticesHeader: { ko: '[현재 안내]', en: '[Current notices]', zh: '[当前通知]', vi: '[Thông báo hiện tại]' },
  linkTitle: { ko: '경기도 버스정보시스템 (GBIS)', en: 'Gyeonggi Bus Information System (GBIS)', zh: '京畿道公交信息系统 (GBIS)', vi: 'Hệ thống thông tin xe buýt Gyeonggi (GBIS)' },
} satisfies Record<string, Localized>;

export type TransitTextKey = keyof typeof TEXTS;

/** The text in the resident's language (English for other languages), with {placeholders} filled. */
export function transitText(key: TransitTextKey, language: string, vars: Record<string, string | number> = {}): string {
  const template = pickLocalized<string>(TEXTS[key], language) ?? '';
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
  return language === 'ko' ? withParticles(filled) : filled;
}

const PARTICLES: Record<string, [string, string]> = { '을(를)': ['을', '를'], '은(는)': ['은', '는'], '이(가)': ['이', '가'], '(으)로': ['으로', '로'] };
/** Digits read with a final consonant: 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔. */
const DIGIT_BATCHIM = new Set(['0', '1', '3', '6', '7', '8']);

/** Picks 을/를, 은/는, 이/가, 으로/로 after the word before it ("7-2번 버스를", "수원역으로"). */
function withParticles(text: string): string {
  return text.replace(/(.)(['’]?)(을\(를\)|은\(는\)|이\(가\)|\(으\)로)/gu, (_, ch: string, quote: string, pair: string) => {
    const code = ch.charCodeAt(0) - 0xac00;
    const final = code >= 0 && code <= 11_171 ? code % 28 : -1;
    const batchim = final >= 0 ? final !== 0 : DIGIT_BATCHIM.has(ch);
    const [withFinal, without] = PARTICLES[pair]!;
    // 으로 is only for finals other than ㄹ (8).
    const chosen = pair === '(으)로' ? (batchim && final !== 8 ? withFinal : without) : batchim ? withFinal : without;
    return `${ch}${quote}${chosen}`;
  });
}

const DAY_KIND: Record<DayKind, Localized> = {
  weekday: { ko: '평일', en: 'weekday', zh: '工作日', vi: 'ngày thường' },
  saturday: { ko: '토요일', en: 'Saturday', zh: '周六', vi: 'thứ Bảy' },
  sunday: { ko: '일요일', en: 'Sunday', zh: '周日', vi: 'Chủ nhật' },
  holiday: { ko: '공휴일·특별', en: 'holiday/special', zh: '节假日/特别', vi: 'ngày lễ/đặc biệt' },
};

export function dayKindText(kind: DayKind, language: string): string {
  return pickLocalized<string>(DAY_KIND[kind], language) ?? kind;
}

const WEEKDAYS: Record<string, string[]> = {
  ko: ['월', '화', '수', '목', '금', '토', '일'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  vi: ['thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A service date for residents: "11월 30일(월)", "Mon 30 Nov", "11月30日(周一)", "thứ Hai 30/11". */
export function dateText(date: number, language: string): string {
  const month = Math.floor(date / 100) % 100;
  const day = date % 100;
  const lang = ['ko', 'zh', 'vi'].includes(language) ? language : 'en';
  const wd = WEEKDAYS[lang]![weekdayOf(date)];
  if (lang === 'ko') return `${month}월 ${day}일(${wd})`;
  if (lang === 'zh') return `${month}月${day}日(${wd})`;
  if (lang === 'vi') return `${wd} ${day}/${month}`;
  return `${wd} ${day} ${MONTHS_EN[month - 1]}`;
}

/** A departure time: "05:30", or "00:20 (after midnight)" for 24:20:00. */
export function timeText(seconds: number, language: string): string {
  const clock = formatClock(seconds);
  return isNextDay(seconds) ? transitText('afterMidnight', language, { time: clock }) : clock;
}
