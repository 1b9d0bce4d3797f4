/**
 * Head training, out-of-scope threshold and crisis threshold of the intent model, on synthetic
 * embeddings (clusters on the unit sphere) so every property is known in advance.
 */
import { IntentModel, type EmbeddedExample } from '../../src/nlu/intent-model';
import { fitIntentModel } from '../../src/nlu/intent-training';
import { NgramFeaturizer } from '../../src/nlu/ngram-features';
import { seededRandom, SoftmaxHead } from '../../src/nlu/softmax-head';
import { SparseSoftmaxHead } from '../../src/nlu/sparse-softmax-head';

const DIM = 16;
const rand = seededRandom(42);

function unit(v: number[]): Float32Array {
  const n = Math.hypot(...v) || 1;
  return Float32Array.from(v, (x) => x / n);
}

/** A point near axis `axis` (noise `spread`). */
function near(axis: number, spread = 0.25): Float32Array {
  return unit(Array.from({ length: DIM }, (_, i) => (i === axis ? 1 : 0) + (rand() - 0.5) * spread));
}

const WORDS: Record<string, string[]> = {
  bus: ['bus', 'route', 'stop', 'timetable'],
  water: ['water', 'tap', 'pipe', 'leak'],
  tax: ['tax', 'bill', 'payment', 'car'],
  crisis_support: ['hopeless', 'alone', 'end', 'tired'],
};
const AXIS: Record<string, number> = { bus: 0, water: 1, tax: 2, crisis_support: 3 };

function examples(intents: string[], perIntent: number, language = 'en'): EmbeddedExample[] {
  const out: EmbeddedExample[] = [];
  for (const intent of intents) {
    for (let i = 0; i < perIntent; i++) {
      const words = WORDS[intent]!;
      out.push({
        intent,
        language,
        text: `${words[i % 4]} ${words[(i + 1) % 4]} question ${i}`,
        vector: near(AXIS[intent]!),
      });
    }
  }
  return out;
}

/** Out-of-scope examples: points spread over the other axes, unrelated words. */
function outOfScope(n: number): EmbeddedExample[] {
  return Array.from({ length: n }, (_, i) => ({
    intent: 'out_of_scope',
    language: 'en',
    text: `weather recipe movie ${i}`,
    vector: near(6 + (i % 8), 0.6),
  }));
}

describe('softmax heads', () => {
  it('the dense head learns separable classes', async () => {
    const x = [...Array(60).keys()].map((i) => near(i % 3));
    const y = x.map((_, i) => i % 3);
    const head = await SoftmaxHead.train(
      x.map((v) => v.map((a) => a * 10)),
      y,
      3,
      { epochs: 20 },
    );
    const right = x.filter((v, i) => {
      const p = head.predict(v.map((a) => a * 10));
      return p.indexOf(Math.max(...p)) === y[i];
    }).length;
    expect(right).toBe(60);
    const p = head.predict(near(1).map((a) => a * 10));
    expect(p.reduce((s, a) => s + a, 0)).toBeCloseTo(1, 5);
  });

  it('the sparse head learns from n-gram features', async () => {
    const texts = [
      'bus route stop',
      'bus timetable',
      'water leak',
      'water tap pipe',
      'car tax bill',
      'tax payment',
    ];
    const y = [0, 0, 1, 1, 2, 2];
    const featurizer = new NgramFeaturizer().fit(texts);
    const head = await SparseSoftmaxHead.train(
      texts.map((t) => featurizer.transform(t)),
      y,
      featurizer.size,
      3,
      { epochs: 60 },
    );
    const predict = (t: string) => {
      const z = head.logits(featurizer.transform(t));
      return z.indexOf(Math.max(...z));
    };
    expect(predict('the bus stop')).toBe(0);
    expect(predict('a leak in the pipe')).toBe(1);
    expect(predict('tax bill')).toBe(2);
    expect(featurizer.transform('completely unseen words').coverage).toBeLessThan(0.5);
  });
});

describe('intent model', () => {
  const train = [...examples(['bus', 'water', 'tax', 'crisis_support'], 30), ...outOfScope(30)];

  it('classifies in-scope messages and rejects far-away ones with a threshold tuned out of fold', async () => {
    const model = await fitIntentModel(train, { targetOosRecall: 0.9, crisisIntent: 'crisis_support' });
    expect(model.tuning.source).toBe('cross-validation');
    expect(model.tuning.threshold).toBeGreaterThan(0);
    // Fresh points the tuning never saw: the reported out-of-fold recall is tuned to reach its
    // target, so only unseen messages show whether the threshold generalises.
    const unseenOos = outOfScope(40).map((e) => model.predict(`unrelated chatter ${e.text}`, e.vector, 'en'));
    expect(unseenOos.filter((p) => p.intent === 'out_of_scope').length).toBeGreaterThanOrEqual(32);
    const unseenIn = examples(['bus', 'water', 'tax'], 10).map((e) => [
      e.intent,
      model.predict(e.text, e.vector, 'en').intent,
    ]);
    expect(unseenIn.filter(([gold, got]) => gold === got).length).toBeGreaterThanOrEqual(28);
    expect(model.predict('bus stop question', near(0), 'en').intent).toBe('bus');
    expect(model.predict('leak in the pipe', near(1), 'en').intent).toBe('water');
    expect(model.predict('movie tonight', near(9, 0.6), 'en').intent).toBe('out_of_scope');
    const p = model.predict('car tax', near(2), 'en');
    expect(p.ranked[0]!.intent).toBe('tax');
    expect(p.ranked.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 4);
    expect(p.confidence).toBeGreaterThan(0.5);
  });

  it('never rejects when the training data has no out-of-scope examples (plain top-1)', async () => {
    const model = await fitIntentModel(examples(['bus', 'water', 'tax'], 25));
    expect(model.tuning.threshold).toBe(0);
    expect(model.predict('anything', near(12, 0.6), 'en').intent).not.toBe('out_of_scope');
  });

  it('tunes on a given validation set instead of cross-validation', async () => {
    const valid = [...examples(['bus', 'water', 'tax', 'crisis_support'], 8), ...outOfScope(10)];
    const model = await fitIntentModel(train, { targetOosRecall: 0.9 }, valid);
    expect(model.tuning.source).toBe('validation');
    expect(model.tuning.examples).toBe(valid.length);
  });

  it('sets the crisis threshold so that the model covers what the lexicon misses', async () => {
    const lexiconCatchesAll = await fitIntentModel(train, {
      crisisIntent: 'crisis_support',
      crisisLexicon: () => true,
      targetOosRecall: 0.9,
    });
    expect(lexiconCatchesAll.tuning.crisisThreshold).toBe(0.5);
    const lexiconMissesAll = await fitIntentModel(train, {
      crisisIntent: 'crisis_support',
      crisisLexicon: () => false,
      targetOosRecall: 0.9,
    });
    expect(lexiconMissesAll.tuning.crisisThreshold).toBeLessThanOrEqual(0.5);
    expect(lexiconMissesAll.tuning.crisisThreshold).toBeGreaterThanOrEqual(0.1);
    const crisis = lexiconMissesAll.predict('so tired and alone', near(3), 'en');
    expect(crisis.crisis).toBe(true);
    expect(crisis.crisisProbability).toBeGreaterThanOrEqual(lexiconMissesAll.tuning.crisisThreshold!);
  });

  it('routes a language the training data lacks to the transfer head, and saves and restores exactly', async () => {
    const model = await fitIntentModel(train, { targetOosRecall: 0.9 });
    expect(model.coveredLanguages()).toEqual(['en']);
    const restored = IntentModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const [text, vector, language] of [
      ['bus route', near(0), 'en'],
      ['버스 노선', near(0), 'ko'],
      ['movie', near(10, 0.6), 'en'],
    ] as const) {
      const a = model.predict(text, vector, language);
      const b = restored.predict(text, vector, language);
      expect(b.intent).toBe(a.intent);
      expect(b.confidence).toBeCloseTo(a.confidence, 6);
    }
    expect(model.predict('버스 노선', near(0), 'ko').intent).toBe('bus');
  });

  it('abandons training when aborted (shutdown)', async () => {
    const controller = new AbortController();
    const training = fitIntentModel(train, { signal: controller.signal });
    controller.abort();
    await expect(training).rejects.toThrow(/abort/i);
  });

  it('refuses a single intent', async () => {
    await expect(fitIntentModel(examples(['bus'], 10))).rejects.toThrow(/at least two intents/);
  });
});
