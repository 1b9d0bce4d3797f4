import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INTENTS } from '../../src/core/nlu-port';
import { loadIntentData } from '../../src/nlu/intent-data';
import { LexicalClassifier } from '../../src/nlu/lexical-classifier';
import { LexiconCrisisDetector } from '../../src/nlu/lexicon-crisis-detector';
import { HybridLanguageDetector } from '../../src/nlu/language-detector';

const intentsDir = path.join(__dirname, '..', '..', 'intents');

describe('intent data', () => {
  const data = loadIntentData(intentsDir);

  it('has every fixed intent with at least 25 Korean and 10 English examples', () => {
    for (const intent of INTENTS) {
      const def = data.definitions.get(intent);
      expect(def).toBeDefined();
      expect(def!.examples.ko!.length).toBeGreaterThanOrEqual(25);
      expect(def!.examples.en!.length).toBeGreaterThanOrEqual(10);
      expect(def!.reply?.ko).toBeTruthy();
      expect(def!.reply?.en).toBeTruthy();
    }
  });

  it('rejects a file with an unknown intent name, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intents-'));
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ intent: 'pizza_order', examples: { ko: ['피자'] } }));
    expect(() => loadIntentData(dir)).toThrow(/bad\.json.*pizza_order/);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ intent: 'greeting', examples: { ko: 'not a list' } }));
    expect(() => loadIntentData(dir)).toThrow(/bad\.json: examples\.ko/);
  });
});

describe('lexical classifier', () => {
  const data = loadIntentData(intentsDir);
  const classifier = new LexicalClassifier(data.examples);

  it.each([
    ['7-2번 버스 첫차가 몇 시예요?', 'transport_schedule'],
    ['집 앞 도로에 포트홀이 생겼어요', 'road_damage_report'],
    ['상담사 연결해 주세요', 'counselor_request'],
    ['When is the food waste collected in my area?', 'waste_collection'],
    ['안녕하세요', 'greeting'],
  ])('classifies %s as %s', async (text, intent) => {
    const result = await classifier.classify(text);
    expect(result.intent).toBe(intent);
    expect(result.model).toBe('lexical-tfidf');
    expect(result.top[0]!.intent).toBe(intent);
  });

  it('returns ranked predictions whose confidences sum to at most 1', async () => {
    const result = await classifier.classify('수도 요금이 너무 많이 나왔어요');
    const confidences = result.top.map((p) => p.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    expect(confidences.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.0000001);
  });

  it('calls gibberish out of scope', async () => {
    expect((await classifier.classify('qwpoeiru zxcmvn')).intent).toBe('out_of_scope');
  });

  it('scores at least 0.6 on the held-out set (the degraded-mode floor)', async () => {
    const lines = fs
      .readFileSync(path.join(__dirname, '..', 'fixtures', 'nlu', 'heldout.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; intent: string });
    let correct = 0;
    for (const { text, intent } of lines) if ((await classifier.classify(text)).intent === intent) correct++;
    expect(correct / lines.length).toBeGreaterThanOrEqual(0.6);
  });
});

describe('crisis lexicon', () => {
  const detector = LexiconCrisisDetector.fromFile(path.join(intentsDir, 'lexicons', 'crisis.json'));
  const cases = JSON.parse(fs.readFileSync(path.join(intentsDir, 'lexicons', 'crisis-tests.json'), 'utf8')) as {
    positive: string[];
    negative: string[];
  };

  it.each(cases.positive)('flags %s', (text) => {
    expect(detector.isCrisis(text)).toBe(true);
  });

  it.each(cases.negative)('does not flag %s', (text) => {
    expect(detector.isCrisis(text)).toBe(false);
  });
});

describe('language detector on mixed-script messages', () => {
  const detector = new HybridLanguageDetector();
  it.each([
    ['7-2번 버스 첫차가 몇 시예요?', 'ko'],
    ['KTX 표 예매는 어디서 해요?', 'ko'],
    ['When does the first bus leave?', 'en'],
    ['我想申请居住证明', 'zh'],
    ['Tôi muốn hỏi về trợ cấp cho con', 'vi'],
    ['ゴミはいつ出せばいいですか', 'ja'],
    ['住民票はどこで発行できますか', 'ja'],
  ])('detects %s as %s', (text, language) => {
    expect(detector.detect(text)).toBe(language);
  });

  it('returns undefined when there are no letters', () => {
    expect(detector.detect('12345 !!')).toBeUndefined();
  });
});

describe('lexical classifier crisis verdicts', () => {
  // Crisis said inside requests shares the request wording with ordinary questions.
  const examples = [
    { text: '주거급여 문의드려요 안 되면 살 생각이 없어요', intent: 'crisis_support', language: 'ko' },
    { text: '수급 신청 문의드려요 이번 달 넘기면 끝내려고요', intent: 'crisis_support', language: 'ko' },
    { text: '긴급복지 문의드려요 더는 못 버티겠어요', intent: 'crisis_support', language: 'ko' },
    { text: '주거급여 신청 문의드려요', intent: 'welfare_benefits', language: 'ko' },
    { text: '기초연금 신청 방법 문의드려요', intent: 'welfare_benefits', language: 'ko' },
    { text: '아동수당 문의드려요', intent: 'welfare_benefits', language: 'ko' },
  ];

  it('gives a crisis lead below the least crisis confidence to the runner-up', async () => {
    const text = '수급 신청 문의드려요 이번 달 넘기면';
    const classifier = new LexicalClassifier(examples, { k: 2, minSimilarity: 0 });
    const lead = await classifier.classify(text);
    expect(lead.intent).toBe('crisis_support');
    const strict = new LexicalClassifier(examples, {
      k: 2,
      minSimilarity: 0,
      crisisMinConfidence: lead.confidence + 0.01,
    });
    expect((await strict.classify(text)).intent).toBe('welfare_benefits');
  });

  it('keeps a clear crisis lead as crisis', async () => {
    const classifier = new LexicalClassifier(examples, { k: 2, minSimilarity: 0 });
    const c = await classifier.classify('이번 달 넘기면 끝내려고요 살 생각이 없어요');
    expect(c.intent).toBe('crisis_support');
    expect(c.confidence).toBeGreaterThanOrEqual(0.2);
  });
});
