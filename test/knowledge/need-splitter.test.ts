import { splitNeeds } from '../../src/knowledge/need-splitter';

describe('splitNeeds', () => {
  it('splits two requests at commas, sentence ends and connectors in ko, en, zh and vi', () => {
    expect(splitNeeds('도로가 파였어요 그리고 버스 막차는 몇 시예요?', 'ko')).toEqual(['도로가 파였어요', '그리고 버스 막차는 몇 시예요?']);
    expect(splitNeeds('신고하고 싶고요 버스 시간도 알려 주세요', 'ko')).toEqual(['신고하고 싶고요', '버스 시간도 알려 주세요']);
    expect(splitNeeds('My bin was not collected and also the bus stop light is out', 'en')).toEqual([
      'My bin was not collected',
      'and also the bus stop light is out',
    ]);
    expect(splitNeeds('水费怎么交？另外自动车税什么时候交？', 'zh')).toEqual(['水费怎么交？', '另外自动车税什么时候交？']);
    expect(splitNeeds('Đổi bằng lái xe ở đâu và đóng thuế xe thế nào', 'vi')).toEqual(['Đổi bằng lái xe ở đâu', 'và đóng thuế xe thế nào']);
  });

  it('joins a piece too short to be a request to the next one, so one request stays one part and no word is lost', () => {
    expect(splitNeeds('네, 버스 막차 시간 알려 주세요', 'ko')).toEqual(['네, 버스 막차 시간 알려 주세요']);
    expect(splitNeeds('Hi, when is food waste collected?', 'en')).toEqual(['Hi, when is food waste collected?']);
    expect(splitNeeds('bus and train times please', 'en')).toEqual(['bus and train times please']);
    expect(splitNeeds('Where do I pay the water bill, thanks', 'en')).toEqual(['Where do I pay the water bill, thanks']);
  });

  it('keeps a piece that points back at the one before with it: the same request continued', () => {
    expect(splitNeeds('I got a parking ticket on my car, how can I pay it?', 'en')).toEqual(['I got a parking ticket on my car, how can I pay it?']);
    expect(splitNeeds('Someone parked across our garage, I want to report it', 'en')).toHaveLength(1);
    expect(splitNeeds('집 앞에 불법 주차한 차가 있어요. 그거 어디에 신고해요?', 'ko')).toHaveLength(1);
    expect(splitNeeds('我收到了罚单，这个怎么交？', 'zh')).toHaveLength(1);
    expect(splitNeeds('Tôi bị phạt đỗ xe, nộp tiền phạt đó ở đâu?', 'vi')).toHaveLength(1);
  });

  it('keeps a short question about whom or where to turn to with the request before it', () => {
    expect(splitNeeds('A construction site next door starts drilling at 6 am every day. Who can I complain to?', 'en')).toHaveLength(1);
    expect(splitNeeds('밤마다 윗집 공사 소음이 심해요. 어디에 신고해요?', 'ko')).toHaveLength(1);
    expect(splitNeeds('隔壁工地每天早上六点就开始施工，找谁投诉？', 'zh')).toHaveLength(1);
    expect(splitNeeds('Công trường bên cạnh khoan từ 6 giờ sáng, báo ở đâu?', 'vi')).toHaveLength(1);
    // A second request with its own topic still splits.
    expect(splitNeeds('The streetlight outside is broken, and also when is food waste collected?', 'en')).toHaveLength(2);
  });

  it('keeps a bare wish to report, with no object of its own, with what it reports', () => {
    expect(splitNeeds('Vỉa hè trước thư viện có nhiều viên gạch bị vỡ, tôi muốn báo hỏng', 'vi')).toHaveLength(1);
    expect(splitNeeds('인도 보도블록이 깨져서 위험해요. 신고하고 싶어요', 'ko')).toHaveLength(1);
    expect(splitNeeds('图书馆门口的路灯坏了，我想报修', 'zh')).toHaveLength(1);
    expect(splitNeeds('The paving stones outside the library are broken, I want to report', 'en')).toHaveLength(1);
    // A report with its own object is a request of its own.
    expect(splitNeeds('Xe buýt số 7 đến trễ, tôi muốn báo hỏng đèn đường ở ngã tư', 'vi')).toHaveLength(2);
  });

  it('keeps at most four parts of a long list', () => {
    expect(splitNeeds('one two three, four five six, seven eight nine, ten eleven twelve, more words here', 'en')).toHaveLength(4);
  });
});
