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

  it('keeps at most four parts of a long list', () => {
    expect(splitNeeds('one two three, four five six, seven eight nine, ten eleven twelve, more words here', 'en')).toHaveLength(4);
  });
});
