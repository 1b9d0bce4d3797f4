/**
 * The real encoder (multilingual-e5-small, int8, in a worker thread) behind the intent classifier:
 * it loads, micro-batches concurrent requests, classifies Korean and English messages, combines
 * its crisis signal with the lexicon, and retrains and hot-swaps when intent data changes.
 * First run on a fresh clone: provisions the model and trains (a minute or two); later runs use
 * the caches under .cache/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../support/service';
import { NluService } from '../../src/nlu/nlu-service';
import { TransformerClassifier, type TransformerClassification } from '../../src/nlu/transformer-classifier';
import { TransformerEmbedder } from '../../src/nlu/transformer-embedder';
import { ensureModel, MODEL_DIR, ROOT } from './model-fixture';

jest.setTimeout(600_000);

const quiet = silentLogger();
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

beforeAll(() => ensureModel());

describe('transformer embedder (worker thread, micro-batching)', () => {
  let embedder: TransformerEmbedder;
  beforeAll(async () => {
    embedder = await TransformerEmbedder.load({ modelDir: MODEL_DIR });
  });
  afterAll(async () => {
    await embedder.close();
  });

  it('gives normalised 384-dimensional vectors, query and passage forms differing', async () => {
    expect(embedder.dimension).toBe(384);
    const [query] = await embedder.embed(['버스 첫차 시간'], 'query');
    const [passage] = await embedder.embed(['버스 첫차 시간'], 'passage');
    expect(query).toHaveLength(384);
    expect(cosine(query!, query!)).toBeCloseTo(1, 4);
    expect(cosine(query!, passage!)).toBeLessThan(0.999);
  });

  it('batches concurrent requests into one forward pass with the same results', async () => {
    const texts = [
      '물이 안 나와요',
      'When is the last bus?',
      '주민등록등본 발급',
      'I want to talk to a person',
      '쓰레기 버리는 날',
      'My tax bill is wrong',
    ];
    const singles: Float32Array[] = [];
    for (const t of texts) singles.push((await embedder.embed([t], 'query'))[0]!);
    const before = embedder.stats();
    const together = await Promise.all(texts.map((t) => embedder.embed([t], 'query')));
    const after = embedder.stats();
    expect(after.texts - before.texts).toBe(texts.length);
    expect(after.batches - before.batches).toBeLessThan(texts.length);
    expect(after.largestBatch).toBeGreaterThan(1);
    // Exactly the same vectors: a message's understanding must not depend on what else is in flight.
    together.forEach(([v], i) => expect(Array.from(v!)).toEqual(Array.from(singles[i]!)));
  });

  it('gives a text the same vector whatever it is batched with (int8 activations are quantised per tensor)', async () => {
    const probe = '내구성 확인 메시지 3';
    const [alone] = await embedder.embed([probe], 'query');
    for (const companions of [
      ['내구성 확인 메시지 1', '내구성 확인 메시지 2'],
      ['a much longer message about the bus timetable at the central station tonight', 'hi'],
    ]) {
      const batch = await embedder.embed([...companions, probe], 'query');
      expect(Array.from(batch[companions.length]!)).toEqual(Array.from(alone!));
    }
  });

  it('embeds through onnxruntime directly exactly as the transformers.js pipeline does', async () => {
    const viaPipeline = await TransformerEmbedder.load({ modelDir: MODEL_DIR, engine: 'pipeline' });
    try {
      const texts = [
        '다음 주 음식물 쓰레기 수거일 알려주세요',
        'Is the health center open on Saturday?',
        '我想申请居住证明',
      ];
      const direct = await embedder.embed(texts, 'query');
      const reference = await viaPipeline.embed(texts, 'query');
      direct.forEach((v, i) => expect(cosine(v, reference[i]!)).toBeGreaterThan(0.999));
    } finally {
      await viaPipeline.close();
    }
  });

  it('rejects calls after close, while the shared model stays loaded for others', async () => {
    const other = await TransformerEmbedder.load({ modelDir: MODEL_DIR });
    await other.close();
    await expect(other.embed(['x'], 'query')).rejects.toThrow(/closed/);
    // The shared model stays usable by the other embedder.
    expect(await embedder.embed(['x'], 'query')).toHaveLength(1);
  });
});

describe('NLU service on the transformer', () => {
  let nlu: NluService;
  beforeAll(async () => {
    nlu = new NluService(path.join(ROOT, 'intents'), quiet);
    await nlu.start({ modelDir: MODEL_DIR, cacheDir: path.join(ROOT, '.cache') });
  });
  afterAll(async () => {
    await nlu.close();
  });

  it('loads the model and reports it', () => {
    const status = nlu.status();
    expect(status).toMatchObject({
      mode: 'transformer',
      degraded: false,
      loading: false,
      model: 'multilingual-e5-small',
    });
    expect(status.tuning?.threshold).toBeGreaterThan(0);
    expect(nlu.classifier()).toBeInstanceOf(TransformerClassifier);
    expect(nlu.embedder()?.dimension).toBe(384);
  });

  it('hands its encoder to others (FAQ retrieval) through embedderReady()', async () => {
    const shared = await nlu.embedderReady();
    expect(shared).toBe(nlu.embedder());
    const [a, b] = await shared!.embed(
      ['수도 요금이 너무 많이 나왔어요', 'My water bill is too high'],
      'passage',
    );
    expect(cosine(a!, b!)).toBeGreaterThan(0.8);
  });

  it.each([
    ['내일 아침 수원역에서 사당 가는 광역버스 첫차 몇 시에 있어요?', 'transport_schedule'],
    ['우리 아파트 앞 도로에 큰 구멍이 패여서 위험해요', 'road_damage_report'],
    ['When do they pick up recycling in my neighborhood?', 'waste_collection'],
    ['How can I get a copy of my family relation certificate?', 'civil_documents'],
  ])('classifies %s as %s', async (text, intent) => {
    const c = await nlu.classifier().classify(text);
    expect(c.intent).toBe(intent);
    expect(c.model).toBe('multilingual-e5-small');
    expect(c.top[0]!.intent).toBe(intent);
  });

  it('classifies messages that arrive together exactly as each alone (no batch effects on crisis)', async () => {
    const texts = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `내구성 확인 메시지 ${n}`);
    const alone: TransformerClassification[] = [];
    for (const t of texts)
      alone.push((await nlu.classifier().classify(t, 'ko')) as TransformerClassification);
    const together = (await Promise.all(
      texts.map((t) => nlu.classifier().classify(t, 'ko')),
    )) as TransformerClassification[];
    together.forEach((c, i) => {
      expect(c.crisisProbability).toBe(alone[i]!.crisisProbability);
      expect(c.top).toEqual(alone[i]!.top);
    });
  });

  it('calls an unrelated request out of scope', async () => {
    expect((await nlu.classifier().classify('Can you recommend a good pizza place in Seoul?')).intent).toBe(
      'out_of_scope',
    );
  });

  it('rejects most unseen out-of-scope requests while keeping in-scope ones (measured here, not the tuning report)', async () => {
    // Written for this test, in no training file: the tuning's own out-of-fold figure proves nothing.
    const unrelated = [
      '주식 지금 사도 될까요?',
      '로또 1등 번호 좀 알려줘',
      '오늘 저녁 메뉴 추천해 주세요',
      '아이폰 최신 모델 가격이 얼마예요?',
      '재밌는 넷플릭스 드라마 추천해줘',
      'Who won the football match last night?',
      'Write me a poem about the ocean',
      'What is the capital of Australia?',
      'How do I bake sourdough bread?',
      'Recommend a laptop for gaming under 1000 dollars',
    ];
    const inScope = [
      '음식물 쓰레기 수거하는 요일이 언제예요?',
      '수도 요금 고지서가 잘못 나온 것 같아요',
      'How do I get a resident registration certificate?',
      'There is a big pothole on the road near my house',
      '자동차세 납부 기한이 언제까지예요?',
    ];
    const intents = async (texts: string[]) =>
      Promise.all(texts.map(async (t) => (await nlu.classifier().classify(t)).intent));
    const rejected = (await intents(unrelated)).filter((i) => i === 'out_of_scope').length;
    expect(rejected).toBeGreaterThanOrEqual(8);
    expect(await intents(inScope)).not.toContain('out_of_scope');
  });

  it.each(['사라지고 싶어요', '다 끝내버리려고요', 'I just want everything to stop, for good'])(
    'treats %s as a crisis (lexicon or model)',
    async (text) => {
      const c = await nlu.classifier().classify(text);
      expect(nlu.crisis.isCrisis(text) || c.intent === 'crisis_support').toBe(true);
    },
  );

  it('retrains and hot-swaps when the intent data changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intents-'));
    fs.cpSync(path.join(ROOT, 'intents'), dir, { recursive: true });
    const cacheDir = path.join(ROOT, '.cache');
    const savedModels = () =>
      new Set(
        fs.existsSync(path.join(cacheDir, 'intent-models'))
          ? fs.readdirSync(path.join(cacheDir, 'intent-models'))
          : [],
      );
    const before = savedModels();
    const local = new NluService(dir, quiet);
    try {
      await local.start({ modelDir: MODEL_DIR, cacheDir });
      const first = local.classifier();
      const file = path.join(dir, 'noise_complaint.json');
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { examples: Record<string, string[]> };
      // New wording every run, so the model is really retrained (not loaded from the cache).
      data.examples.ko!.push(`옆 건물 실외기 소리가 밤새 웅웅거려요 ${Date.now()}`);
      fs.writeFileSync(file, JSON.stringify(data));
      await local.reload();
      expect(local.classifier()).not.toBe(first);
      expect(local.status()).toMatchObject({
        mode: 'transformer',
        examples: local.intentData().examples.length,
      });
      expect([...savedModels()].filter((f) => !before.has(f)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await local.close();
      fs.rmSync(dir, { recursive: true, force: true });
      // Leave the shared cache as it was.
      for (const f of savedModels())
        if (!before.has(f)) fs.rmSync(path.join(cacheDir, 'intent-models', f), { force: true });
    }
  });
});
