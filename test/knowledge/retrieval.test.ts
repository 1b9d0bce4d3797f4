/** Retrieval parts: Korean-aware tokens, BM25, the lexical embedder, the tuned hybrid retriever and the metrics. */
import path from 'node:path';
import type { FaqEntry } from '../../src/core/knowledge-port';
import { Bm25Index } from '../../src/knowledge/bm25-index';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { HybridRetriever } from '../../src/knowledge/hybrid-retriever';
import { evaluate } from '../../src/knowledge/kb-eval';
import { LexicalEmbedder } from '../../src/knowledge/lexical-embedder';
import { fitCalibrator, predict } from '../../src/knowledge/logistic-calibrator';
import {
  buildSplit,
  chooseThreshold,
  tuneRetriever,
  type JudgedSample,
} from '../../src/knowledge/retriever-tuning';
import { tokenize } from '../../src/knowledge/text-tokenizer';
import { loadIntentData } from '../../src/nlu/intent-data';

const ROOT = path.join(__dirname, '..', '..');

describe('Korean-aware tokenizer', () => {
  it('turns Hangul words into character bigrams so particles do not block a match', () => {
    expect(tokenize('포트홀이')).toEqual(['포트', '트홀', '홀이']);
    const a = new Set(tokenize('포트홀이 생겼어요'));
    expect(tokenize('포트홀을 신고').filter((t) => a.has(t))).toEqual(['포트', '트홀']);
  });

  it('lower-cases and stems English and drops stop words, keeping numbers', () => {
    expect(tokenize('How do I report the Potholes on Route 42?')).toEqual([
      'report',
      'pothole',
      'route',
      '42',
    ]);
  });
});

describe('BM25', () => {
  it('ranks the document sharing rarer terms first and can leave one document’s tokens out', () => {
    const index = new Bm25Index();
    index.add(tokenize('버스 첫차 시간'));
    index.add(tokenize('쓰레기 버리는 요일'));
    index.add(tokenize('버스 요금'));
    const scores = index.score(tokenize('첫차 시간 알려줘'));
    expect([...scores.keys()]).toEqual([0]);
    const held = index.score(tokenize('버스 요금'), { doc: 2, tokens: tokenize('버스 요금') });
    expect(held.get(2)).toBeUndefined();
    expect(index.selfScore(tokenize('첫차 시간'))).toBeGreaterThan(scores.get(0)!);
  });
});

describe('lexical embedder', () => {
  it('gives unit vectors whose similarity follows shared character n-grams', async () => {
    const e = new LexicalEmbedder(4096).fit(['음식물 쓰레기 버리는 법', '버스 첫차 시간', '여권 발급']);
    const [a, b, c] = await e.embed(
      ['음식물 쓰레기 어떻게 버려요', '음식물 쓰레기 버리는 법', '여권 발급 어디서'],
      'query',
    );
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(e.dimension).toBe(4096);
  });
});

describe('calibrator', () => {
  it('learns a monotone probability from separable scores', () => {
    const samples = Array.from({ length: 40 }, (_, i) => ({ features: [i / 40], label: i >= 20 ? 1 : 0 }));
    const model = fitCalibrator(samples);
    expect(predict(model, [0.9])).toBeGreaterThan(0.8);
    expect(predict(model, [0.1])).toBeLessThan(0.2);
  });
});

describe('no-answer threshold', () => {
  const spread = (kind: JudgedSample['kind'], from: number, to: number): JudgedSample[] =>
    Array.from({ length: 21 }, (_, i) => ({ kind, confidence: from + ((to - from) * i) / 20 }));

  it('falls between right answers and both kinds of misses when they separate', () => {
    const samples = [...spread('right', 0.6, 0.9), ...spread('near', 0.1, 0.4), ...spread('far', 0.05, 0.2)];
    const t = chooseThreshold(samples);
    expect(t).toBeGreaterThan(0.4);
    expect(t).toBeLessThanOrEqual(0.6);
  });

  it('rises with the share of questions that have no answer and with the cost of a wrong answer', () => {
    const samples = [...spread('right', 0.2, 0.9), ...spread('near', 0.1, 0.7), ...spread('far', 0.05, 0.5)];
    const low = chooseThreshold(samples, { noAnswerShare: 0.1 });
    expect(chooseThreshold(samples, { noAnswerShare: 0.5 })).toBeGreaterThan(low);
    expect(chooseThreshold(samples, { noAnswerShare: 0.1, wrongAnswerCost: 10 })).toBeGreaterThan(low);
  });
});

describe('hybrid retriever (lexical embedder, tuned on the entries’ own variants)', () => {
  let retriever: HybridRetriever;
  let entries: FaqEntry[];
  beforeAll(async () => {
    entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
    const examples = loadIntentData(path.join(ROOT, 'intents')).examples;
    const embedder = new LexicalEmbedder().fit(entries.flatMap((e) => Object.values(e.questions).flat()));
    retriever = await HybridRetriever.build(entries, embedder, { intentExamples: examples });
    const report = await tuneRetriever(retriever, examples);
    expect(report.positives).toBeGreaterThan(entries.length);
    expect(report.negatives).toBeGreaterThan(0);
  });

  it('can leave a whole entry out, so its variants become near-miss questions', async () => {
    const embedder = retriever.embedder;
    const i = retriever.variants.findIndex((v) => v.entry === 0);
    const v = retriever.variants[i]!;
    const [vector] = await embedder.embed([v.text], 'query');
    const kept = retriever.componentScores(vector!, v.tokens, { variant: i }).entries;
    const without = retriever.componentScores(vector!, v.tokens, { entry: v.entry }).entries;
    expect(kept.map((e) => e.entry)).toContain(v.entry);
    expect(without.map((e) => e.entry)).not.toContain(v.entry);
    expect(without).toHaveLength(entries.length - 1);
    const split = await buildSplit(retriever, []);
    const nearMisses = split.filter((s) => s.nearMiss);
    expect(nearMisses).toHaveLength(retriever.variants.length);
    for (const s of nearMisses) expect(s.expected ?? s.intent).toBeUndefined();
    expect(await buildSplit(retriever, [], { nearMisses: false })).toHaveLength(
      split.length - nearMisses.length,
    );
  });

  it('can hold a variant out with its siblings: their words, vectors and centroid share go too', async () => {
    const family = retriever.variants.flatMap((v, i) => (v.entry === 0 ? [i] : []));
    expect(family.length).toBeGreaterThanOrEqual(4);
    const [i, ...rest] = family;
    const v = retriever.variants[i!]!;
    const [vector] = await retriever.embedder.embed([v.text], 'query');
    const own = (holdOut: object) =>
      retriever.componentScores(vector!, v.tokens, holdOut).entries.find((e) => e.entry === 0)!;
    const one = own({ variant: i });
    const three = own({ variant: i, siblings: rest.slice(0, 2) });
    // Fewer variants left to match: never closer, and the centroid is that of the remaining ones.
    expect(three.question).toBeLessThanOrEqual(one.question + 1e-6);
    expect(three.coverage).toBeLessThanOrEqual(one.coverage + 1e-6);
    expect(three.lexical).toBeLessThanOrEqual(one.lexical + 1e-6);
    const remaining = rest.slice(2).map((j) => retriever.variantVectors[j]!);
    const mean = new Float32Array(vector!.length);
    for (const r of remaining) for (let d = 0; d < mean.length; d++) mean[d] = mean[d]! + r[d]!;
    const norm = Math.sqrt(mean.reduce((s, x) => s + x * x, 0));
    const cos = mean.reduce((s, x, d) => s + x * vector![d]!, 0) / norm;
    expect(three.centroid).toBeCloseTo(cos, 4);
    // The split holds each positive out with its closest siblings, so its positives are harder.
    const easy = await buildSplit(retriever, [], { nearMisses: false, siblingsHeldOut: 0 });
    const hard = await buildSplit(retriever, [], { nearMisses: false });
    const best = (s: (typeof easy)[number]) =>
      Math.max(...s.scores.entries.filter((e) => e.entry === s.expected).map((e) => e.question));
    const mean_ = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean_(hard.map(best))).toBeLessThan(mean_(easy.map(best)));
  });

  it('measures how much of a query an entry’s vocabulary covers, without the held-out variant', async () => {
    const entry = entries.findIndex((e) => e.answer.ko?.includes('종량제'));
    const query = '종량제 봉투';
    const [vector] = await retriever.embedder.embed([query], 'query');
    const scores = retriever.componentScores(vector!, retriever.tokenize(query)).entries;
    const own = scores.find((s) => s.entry === entry)!;
    expect(own.coverage).toBeCloseTo(1, 5);
    const unrelated = retriever.componentScores(vector!, retriever.tokenize('파스타 레시피')).entries;
    expect(Math.max(...unrelated.map((s) => s.coverage))).toBe(0);
    // A held-out variant does not cover itself with its own words: never more, sometimes less.
    let lower = 0;
    for (const [i, v] of retriever.variants.entries()) {
      if (v.entry > 5) break;
      const [vec] = await retriever.embedder.embed([v.text], 'query');
      const with_ = retriever.componentScores(vec!, v.tokens).entries[v.entry]!.coverage;
      const held = retriever.componentScores(vec!, v.tokens, { variant: i }).entries[v.entry]!.coverage;
      expect(held).toBeLessThanOrEqual(with_ + 1e-6);
      if (held < with_ - 1e-6) lower++;
    }
    expect(lower).toBeGreaterThan(0);
  });

  it('uses the tokenizer it is given for BM25 and coverage', async () => {
    const seen: string[] = [];
    const small = entries.slice(0, 3);
    const spy = (text: string) => {
      seen.push(text);
      return text.split(/\s+/);
    };
    const custom = await HybridRetriever.build(small, retriever.embedder, { tokenizer: spy });
    await custom.search('아무 질문', 'ko');
    expect(seen).toContain('아무 질문');
    expect(custom.tokenize).toBe(spy);
  });

  it('puts the second need of a two-need question as the runner-up, behind the first', async () => {
    // Two far-apart topics, so no sibling entry of either can slip in between.
    const first = entries.find((e) => e.topic === 'waste' && e.questions.ko?.length)!;
    const second = entries.find((e) => e.topic === 'transport' && e.questions.ko?.length)!;
    const result = await retriever.search(
      `${first.questions.ko![0]} 그리고 ${second.questions.ko![0]}`,
      'ko',
      5,
    );
    expect([result.best?.entry.id, result.runnerUp?.entry.id].sort()).toEqual([first.id, second.id].sort());
    expect(result.hits.slice(0, 2).map((h) => h.entry.id)).toEqual([
      result.best?.entry.id,
      result.runnerUp?.entry.id,
    ]);
    expect(result.hits).toHaveLength(5);
    expect(result.hits[0]!.score).toBeGreaterThanOrEqual(result.hits[1]!.score);
  });

  it('is more confident on a question it knows than on one far outside the FAQ, and declines the latter', async () => {
    const known = await retriever.search('음식물 쓰레기는 어떻게 버려요?', 'ko');
    const unknown = await retriever.search('오늘 저녁 메뉴로 파스타 어때요', 'ko');
    expect(known.confidence).toBeGreaterThan(unknown.confidence);
    expect(known.answerable).toBe(true);
    expect(unknown.answerable).toBe(false);
  });

  it('computes top-1, MRR@5 and no-answer precision/recall', async () => {
    const target = entries[0]!;
    const report = await evaluate(retriever, [
      { text: target.questions.ko![0]!, faq: target.id },
      { text: '비트코인 지금 사도 돼요?', faq: 'none' },
    ]);
    expect(report).toMatchObject({
      questions: 2,
      answerable: 1,
      unanswerable: 1,
      top1Accuracy: 1,
      mrrAt5: 1,
      noAnswerRecall: 1,
    });
    expect(report.noAnswerPrecision).toBeGreaterThan(0);
  });
});
