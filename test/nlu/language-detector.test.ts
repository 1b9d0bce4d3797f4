import path from 'node:path';
import { loadIntentData } from '../../src/nlu/intent-data';
import { HybridLanguageDetector } from '../../src/nlu/language-detector';

const intents = loadIntentData(path.join(__dirname, '..', '..', 'intents'));

describe('language detection (script, then a character n-gram model)', () => {
  const detector = new HybridLanguageDetector(intents.examples);

  it.each([
    ['7-2번 버스 첫차가 몇 시예요?', 'ko'],
    ['KTX 표 예매는 어디서 해요?', 'ko'],
    ['When does the first bus leave?', 'en'],
    ['My water bill is too high this month', 'en'],
    ['我想申请居住证明', 'zh'],
    ['垃圾什么时候收？', 'zh'],
    ['Tôi muốn hỏi về trợ cấp cho con', 'vi'],
    ['ゴミはいつ出せばいいですか', 'ja'],
    ['住民票はどこで発行できますか', 'ja'],
    // Han characters without kana are Chinese (once taken for Japanese by the n-gram model).
    ['你喜欢吃火锅吗', 'zh'],
    ['塑料瓶应该怎么分类回收？', 'zh'],
    ['国家健康体检怎么预约？', 'zh'],
    ['请问公交车上丢的钱包怎么找回来', 'zh'],
    ['สวัสดีครับ ต้องการสอบถามเรื่องวีซ่า', 'th'],
    ['Здравствуйте, где получить справку?', 'ru'],
  ])('detects %s as %s', (text, language) => {
    expect(detector.detect(text)).toBe(language);
  });

  it('tells Vietnamese typed without tone marks from English by the model', () => {
    expect(detector.detect('toi muon hoi ve tro cap nuoi con')).toBe('vi');
    expect(detector.detect('xin chao, nha toi bi mat nuoc')).toBe('vi');
    expect(detector.detect('where do I pay my car tax')).toBe('en');
  });

  it('tells other Latin-script languages of foreign residents apart', () => {
    expect(detector.detect('saya ingin bertanya tentang pajak kendaraan')).toBe('id');
    expect(detector.detect('magandang araw po, saan po ako magbabayad ng buwis')).toBe('tl');
  });

  it('returns undefined when there are no letters, and English for a couple of Latin letters', () => {
    expect(detector.detect('12345 !!')).toBeUndefined();
    expect(detector.detect('ok')).toBe('en');
  });
});
