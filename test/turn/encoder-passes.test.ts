/**
 * One encoder pass per text and turn (issue 15, bench:gateway (b)): with the transformer, the
 * intent classification and the FAQ search of the same words share one embedding, and the
 * two-needs step's second look at a part (the classifier's) reuses the part's embedding from its
 * FAQ search. Counted on the real encoder (multilingual-e5-small in the inference thread) through
 * the app API; and the FAQ's answer with the classifier's vector is the answer it gives on its own.
 */
import path from 'node:path';
import type { Service } from '../../src/main';
import { createService } from '../../src/main';
import { HybridRetriever } from '../../src/knowledge/hybrid-retriever';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { splitNeeds } from '../../src/knowledge/need-splitter';
import type { TransformerEmbedder } from '../../src/nlu/transformer-embedder';
import { Resident } from '../knowledge/kb-test-kit';
import { ensureModel, MODEL_DIR, ROOT } from '../nlu/model-fixture';
import { silentLogger } from '../support/service';

jest.setTimeout(900_000);

let service: Service;
let encoder: TransformerEmbedder;

async function untilReady(url: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 840_000; ) {
    if ((await fetch(`${url}/readyz`)).ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the service did not become ready (transformer and FAQ index) in time');
}

beforeAll(async () => {
  ensureModel();
  service = await createService({
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NLU_MODE: 'auto', MODEL_DIR },
    logger: silentLogger(),
  });
  // Ready means the transformer intent model and the FAQ index on the encoder are installed.
  await untilReady(service.url);
  encoder = service.nlu.embedder() as TransformerEmbedder;
  expect(service.nlu.status().mode).toBe('transformer');
});

afterAll(async () => {
  await service?.close();
});

/** Texts the encoder embedded while `turn` ran. */
async function passesOf(turn: () => Promise<unknown>): Promise<number> {
  const before = encoder.stats().texts;
  await turn();
  return encoder.stats().texts - before;
}

describe('encoder passes per turn', () => {
  it('a one-part question costs one pass: classified and answered from the FAQ on one embedding', async () => {
    const resident = await new Resident(service).start('ko-KR');
    const questions = ['음식물 쓰레기는 언제 버려요?', '여권 발급은 어디서 하나요?'];
    for (const text of questions) {
      expect(splitNeeds(text, 'ko')).toHaveLength(1);
      let replies: Awaited<ReturnType<Resident['say']>> = [];
      expect(await passesOf(async () => (replies = await resident.say(text)))).toBe(1);
      expect(replies.length).toBeGreaterThan(0);
    }
    const english = await new Resident(service).start('en-US');
    expect(await passesOf(() => english.say('When is the last bus to Suwon station?'))).toBe(1);
  });

  it('a message with two needs costs one pass for the whole and one per part', async () => {
    const resident = await new Resident(service).start('ko-KR');
    const text = '도로가 파였는데 신고하고 싶고요, 버스 첫차 시간도 알려 주세요';
    const parts = splitNeeds(text, 'ko');
    expect(parts.length).toBeGreaterThanOrEqual(2);
    let replies: Awaited<ReturnType<Resident['say']>> = [];
    const passes = await passesOf(async () => (replies = await resident.say(text)));
    expect(passes).toBe(1 + new Set(parts.filter((p) => p !== text)).size);
    expect(replies.length).toBeGreaterThan(0);
  });
});

describe("the FAQ search with the classifier's vector", () => {
  let searcher: HybridRetriever;
  beforeAll(async () => {
    // The index texts through the embedding cache the service filled at start; queries through the
    // encoder itself, as in the service.
    const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
    const built = await HybridRetriever.build(entries, service.nlu.bulkEmbedder()!, {});
    searcher = HybridRetriever.fromSnapshot(built.toSnapshot(), encoder);
  });

  it('gives the same answer as the search that embeds the query itself, without a pass', async () => {
    const texts = [
      '음식물 쓰레기는 언제 버려요?',
      '여권 발급은 어디서 하나요?',
      'When is the last bus to Suwon station?',
      'How do I report a pothole?',
      'Tôi muốn đổi giấy phép lái xe',
      '수도 요금이 너무 많이 나왔어요',
    ];
    const classifier = service.nlu.classifier();
    for (const text of texts) {
      const { vector } = await classifier.classify(text);
      expect(vector?.encoder).toBe(encoder.name);
      const fresh = await searcher.search(text, 'ko', 5);
      expect(fresh.best).toBeDefined();
      const passes = await passesOf(async () => {
        const reused = await searcher.search(text, 'ko', 5, { vector });
        expect(reused).toEqual(fresh);
      });
      expect(passes).toBe(0);
    }
  });

  it('embeds the query itself when the vector comes from another encoder', async () => {
    const text = '음식물 쓰레기는 언제 버려요?';
    const fresh = await searcher.search(text, 'ko', 3);
    const foreign = { encoder: 'another-encoder', values: new Float32Array(encoder.dimension) };
    const passes = await passesOf(async () => expect(await searcher.search(text, 'ko', 3, { vector: foreign })).toEqual(fresh));
    expect(passes).toBe(1);
  });
});
