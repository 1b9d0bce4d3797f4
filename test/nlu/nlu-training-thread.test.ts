/**
 * NLU work in the training thread: the lexical classifier and the language detector fitted there
 * classify exactly like ones fitted in place; NluService waits for them instead of failing; intent
 * models are trained and saved there, and found again by the same inputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JobThread } from '../../src/jobs/job-thread';
import { loadIntentData, type LabeledExample } from '../../src/nlu/intent-data';
import type { IntentModelResult } from '../../src/nlu/intent-model-job';
import { IntentModel } from '../../src/nlu/intent-model';
import { HybridLanguageDetector } from '../../src/nlu/language-detector';
import { LexicalClassifier } from '../../src/nlu/lexical-classifier';
import type { LexicalBundle, NluJobRequest, NluJobResult } from '../../src/nlu/nlu-jobs';
import { NluService } from '../../src/nlu/nlu-service';
import { seededRandom } from '../../src/nlu/softmax-head';
import { silentLogger } from '../support/service';

jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'src', 'nlu', 'nlu-worker.ts');
const data = loadIntentData(path.join(ROOT, 'intents'));

/** Three intents plus out of scope, as clusters on a 16-dimensional sphere (known in advance). */
function synthetic(): { examples: LabeledExample[]; vectors: Float32Array } {
  const rand = seededRandom(3);
  const words: Record<string, string[]> = {
    bus: ['bus', 'route', 'stop'],
    water: ['water', 'pipe', 'leak'],
    tax: ['tax', 'bill', 'payment'],
    out_of_scope: ['weather', 'movie', 'recipe'],
  };
  const examples: LabeledExample[] = [];
  const rows: number[] = [];
  Object.keys(words).forEach((intent, axis) => {
    for (let i = 0; i < 24; i++) {
      examples.push({ intent, language: 'en', text: `${words[intent]![i % 3]} question ${i}` });
      const v = Array.from({ length: 16 }, (_, d) => (d === axis * 3 ? 1 : 0) + (rand() - 0.5) * 0.3);
      const n = Math.hypot(...v);
      rows.push(...v.map((x) => x / n));
    }
  });
  return { examples, vectors: Float32Array.from(rows) };
}

describe('NLU training thread', () => {
  let thread: JobThread<NluJobRequest, NluJobResult>;
  beforeAll(() => {
    thread = new JobThread<NluJobRequest, NluJobResult>(WORKER, 'NLU training thread');
  });
  afterAll(async () => {
    await thread.close();
  });

  it('fits a lexical classifier and language detector that answer exactly like ones fitted in place', async () => {
    const bundle = (await thread.run({ type: 'lexical', examples: data.examples })) as LexicalBundle;
    const lexical = new LexicalClassifier(bundle.lexical);
    const detector = new HybridLanguageDetector(bundle.detector);
    const inPlace = new LexicalClassifier(data.examples);
    const inPlaceDetector = new HybridLanguageDetector(data.examples);
    const texts = [
      ...data.examples.filter((_, i) => i % 5 === 0).map((e) => e.text),
      'Where does the night bus stop?',
      'xin chao toi can giup do ve thue',
      '我想问一下公交车几点',
      'Kailan ang koleksyon ng basura?',
    ];
    for (const text of texts) {
      expect(await lexical.classify(text)).toEqual(await inPlace.classify(text));
      expect(detector.detect(text)).toBe(inPlaceDetector.detect(text));
    }
  });

  it('trains an intent model, saves it, and finds it again for the same inputs only', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intent-models-'));
    try {
      const { examples, vectors } = synthetic();
      const spec = { fingerprint: 'synthetic-16', examples, modelCacheDir: cacheDir };
      const missing = (await thread.run({ type: 'intent-lookup', spec })) as IntentModelResult;
      expect(missing).toMatchObject({ cached: false });
      expect(missing.model).toBeUndefined();

      const trained = (await thread.run({
        type: 'intent-train',
        spec,
        embedded: { dimension: 16, examples: { vectors, languages: examples.map((e) => e.language) } },
      })) as IntentModelResult;
      expect(trained).toMatchObject({ key: missing.key, cached: false });
      expect(fs.readdirSync(cacheDir)).toEqual([`${missing.key}.json`]);
      const model = IntentModel.fromJSON(trained.model!);
      expect(model.predict('bus route question', vectors.subarray(0, 16), 'en').intent).toBe('bus');

      const found = (await thread.run({ type: 'intent-lookup', spec })) as IntentModelResult;
      expect(found).toMatchObject({ key: missing.key, cached: true, model: trained.model });
      const changed = {
        ...spec,
        examples: examples.map((e, i) => (i === 0 ? { ...e, text: 'bus timetable' } : e)),
      };
      expect(await thread.run({ type: 'intent-lookup', spec: changed })).toMatchObject({ cached: false });
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('NluService before its lexical classifier is installed', () => {
  it('lets a turn wait for the classifier instead of failing, then reports ready', async () => {
    const nlu = new NluService(path.join(ROOT, 'intents'), silentLogger());
    try {
      const classification = await nlu
        .classifier()
        .classify('내일 아침 수원역 가는 버스 첫차 시간 알려주세요');
      expect(classification).toMatchObject({ intent: 'transport_schedule', model: 'lexical-tfidf' });
      expect(nlu.status()).toMatchObject({ ready: true, mode: 'lexical' });
      expect(nlu.language.detect('Where does the night bus stop?')).toBe('en');
    } finally {
      await nlu.close();
    }
  });
});
