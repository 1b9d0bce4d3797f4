/**
 * The learned crisis head (src/nlu/crisis-head.ts), its training job with the leave-one-set-out
 * threshold and the saved-head cache (crisis-head-job.ts), and the transformer-mode decision that
 * uses it (decideCrisisWithHead through ContextualCrisisJudge).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CrisisContext } from '../../src/core/crisis-port';
import type { Classification, IntentClassifier } from '../../src/core/nlu-port';
import { ContextualCrisisJudge } from '../../src/nlu/contextual-crisis-judge';
import { decideCrisisWithHead } from '../../src/nlu/crisis-decision';
import { CrisisHead, neighbourFeaturesOf, thresholdForRecall } from '../../src/nlu/crisis-head';
import type { CrisisHeadLine } from '../../src/nlu/crisis-head-data';
import { loadCrisisHeadLines } from '../../src/nlu/crisis-head-data';
import { runCrisisHeadJob, type CrisisHeadSpec } from '../../src/nlu/crisis-head-job';
import { EverydayPhrases } from '../../src/nlu/everyday-phrases';
import { LexiconCrisisDetector } from '../../src/nlu/lexicon-crisis-detector';

const LEXICONS = path.join(__dirname, '..', '..', 'intents', 'lexicons');

/** A unit vector at `angle` (radians) in the plane: crisis lines near 0, other lines near pi/2. */
const at = (angle: number) => [Math.cos(angle), Math.sin(angle)];

/** Separable lines in two dev sets and the intents, each with a 2-d embedding. */
function tinyLines(): { lines: CrisisHeadLine[]; vectors: Float32Array } {
  const lines: CrisisHeadLine[] = [];
  const rows: number[][] = [];
  ['dev-a', 'dev-b', 'intents'].forEach((set, s) => {
    for (let k = 0; k < 12; k++) {
      const jitter = ((k * 7 + s * 3) % 10) / 40;
      lines.push({ text: `crisis ${set} ${k}`, crisis: true, set });
      rows.push(at(jitter));
      lines.push({ text: `other ${set} ${k}`, crisis: false, set });
      rows.push(at(Math.PI / 2 - jitter));
    }
  });
  return { lines, vectors: Float32Array.from(rows.flat()) };
}

describe('crisis head', () => {
  it('converges on a small separable set: crisis rows high, the others low', () => {
    const { lines, vectors } = tinyLines();
    const labels = Uint8Array.from(lines, (l) => (l.crisis ? 1 : 0));
    const head = CrisisHead.fit({ dimension: 2, vectors, labels }, 0.5, { epochs: 200 });
    lines.forEach((l, i) => {
      const p = head.rowProbability(vectors.subarray(i * 2, i * 2 + 2));
      if (l.crisis) expect(p).toBeGreaterThan(0.9);
      else expect(p).toBeLessThan(0.1);
    });
  });

  it('refuses rows of one class only', () => {
    expect(() => CrisisHead.fit({ dimension: 1, vectors: Float32Array.of(1, 2), labels: Uint8Array.of(1, 1) })).toThrow(/crisis and other/);
  });

  it('picks the highest threshold that keeps the recall, counting rows caught otherwise', () => {
    const p = [0.9, 0.8, 0.7, 0.2, 0.6, 0.1];
    const labels = [1, 1, 1, 1, 0, 0];
    expect(thresholdForRecall(p, labels, 1)).toBe(0.2);
    expect(thresholdForRecall(p, labels, 0.75)).toBe(0.7);
    // The 0.2 row is an explicit lexicon hit: the head need not catch it.
    expect(thresholdForRecall(p, labels, 1, [false, false, false, true, false, false])).toBe(0.7);
  });

  it('reads the nearest crisis and other rows of its memory', () => {
    const memory = { dimension: 2, vectors: Float32Array.from([...at(0), ...at(Math.PI / 2)]), crisis: Uint8Array.of(1, 0) };
    const [crisis, other, margin] = neighbourFeaturesOf(memory, at(0.1));
    expect(crisis).toBeCloseTo(Math.cos(0.1), 5);
    expect(other).toBeCloseTo(Math.sin(0.1), 5);
    expect(margin).toBeGreaterThan(0);
  });
});

describe('crisis head job', () => {
  const { lines, vectors } = tinyLines();
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-head-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const spec = (over: Partial<CrisisHeadSpec> = {}): CrisisHeadSpec => ({
    fingerprint: 'test-encoder',
    lines,
    lexiconDir: LEXICONS,
    targetRecall: 1,
    settings: { epochs: 150 },
    cacheDir: dir,
    ...over,
  });

  it('cross-validates by left-out set, saves the head, and loads it for unchanged inputs', () => {
    expect(runCrisisHeadJob({ type: 'crisis-head-lookup', spec: spec() }).head).toBeUndefined();
    const trained = runCrisisHeadJob({ type: 'crisis-head-train', spec: spec(), dimension: 2, vectors });
    expect(trained.cached).toBe(false);
    expect(trained.cv!.folds.map((f) => f.set)).toEqual(['dev-a', 'dev-b']);
    expect(trained.cv!.folds.every((f) => f.recall === 1 && f.falseAlarms === 0)).toBe(true);
    const head = CrisisHead.fromJSON(trained.head!);
    expect(head.probability(at(0.05))).toBeGreaterThanOrEqual(head.threshold);
    expect(head.probability(at(Math.PI / 2 - 0.05))).toBeLessThan(head.threshold);

    const again = runCrisisHeadJob({ type: 'crisis-head-lookup', spec: spec() });
    expect(again.cached).toBe(true);
    expect(again.head).toEqual(trained.head);
    // Other lines, another key: nothing saved for them.
    const changed = spec({ lines: lines.map((l, i) => (i === 0 ? { ...l, text: 'changed' } : l)) });
    expect(runCrisisHeadJob({ type: 'crisis-head-lookup', spec: changed }).head).toBeUndefined();
  });

  it('reads the folder\'s JSONL lines and adds the intent examples as set "intents"', () => {
    fs.writeFileSync(path.join(dir, 'a.jsonl'), '{"text":"살기 싫어","crisis":true,"set":"crisis-dev-9"}\n\n{"text":"언제 와요","crisis":false,"set":"everyday-dev-9","context":"queued"}\n');
    const read = loadCrisisHeadLines(dir, [
      { text: '죽고 싶어요', intent: 'crisis_support', language: 'ko' },
      { text: '버스 언제 와요', intent: 'transport_schedule', language: 'ko' },
    ]);
    expect(read).toEqual([
      { text: '살기 싫어', crisis: true, set: 'crisis-dev-9' },
      { text: '언제 와요', crisis: false, set: 'everyday-dev-9' },
      { text: '죽고 싶어요', crisis: true, set: 'intents' },
      { text: '버스 언제 와요', crisis: false, set: 'intents' },
    ]);
    fs.writeFileSync(path.join(dir, 'b.jsonl'), '{"text":"x"}\n');
    expect(() => loadCrisisHeadLines(dir, [])).toThrow(/b\.jsonl:1: crisis/);
  });
});

describe('crisis decision with the head (transformer mode)', () => {
  const { lines, vectors } = tinyLines();
  const labels = Uint8Array.from(lines, (l) => (l.crisis ? 1 : 0));
  const memory = { dimension: 2, vectors, crisis: labels };
  // Rows with their neighbour features, as the job builds them (own row left out is not needed here).
  const rows = Float32Array.from(lines.flatMap((_, i) => {
    const v = [...vectors.subarray(i * 2, i * 2 + 2)];
    return [...v, ...neighbourFeaturesOf(memory, v)];
  }));
  const head = CrisisHead.fit({ dimension: 5, vectors: rows, labels }, 0.5, { epochs: 200 }).with(0.5, memory);
  const lexicon = LexiconCrisisDetector.fromFile(path.join(LEXICONS, 'crisis.json'));
  const everyday = EverydayPhrases.fromFile(path.join(LEXICONS, 'everyday.json'));
  const classifier: IntentClassifier = { name: 'unused', classify: () => Promise.reject(new Error('no second classification')) };
  const judge = new ContextualCrisisJudge(lexicon, everyday, () => classifier, () => head);
  const fresh: CrisisContext = { state: 'bot', priority: 'normal' };
  const classification = (crisis: boolean, vector: number[]): Classification & { crisisProbability: number; crisisMargin: number } => ({
    intent: crisis ? 'crisis_support' : 'waste_collection',
    confidence: 0.99,
    top: [{ intent: crisis ? 'crisis_support' : 'waste_collection', confidence: 0.99 }],
    model: 'test',
    vector: { encoder: 'test', values: Float32Array.from(vector) },
    crisisProbability: crisis ? 0.99 : 0.01,
    crisisMargin: crisis ? 0.2 : -0.3,
  });
  const judgeOf = (text: string, c: Classification, context = fresh) =>
    judge.judge({ text, language: 'ko', classification: c, context: async () => context });

  it('clears a message the intent model calls a crisis when the head does not (old rules: a crisis)', async () => {
    // Strong model verdict with a crisis nearest example: the hand-written rules called it a crisis.
    const verdict = await judgeOf('분리수거 요일이 언제예요', classification(true, at(Math.PI / 2 - 0.02)));
    expect(verdict).toEqual({ crisis: false, reason: 'everyday:crisis-head' });
  });

  it('calls a crisis what only the head sees (old rules: no signal)', async () => {
    const verdict = await judgeOf('그냥 조용히 정리하려고요', classification(false, at(0.02)));
    expect(verdict).toEqual({ crisis: true, reason: 'crisis-head' });
  });

  it('keeps an explicit lexicon hit a crisis whatever the head says (rule 1)', async () => {
    const verdict = await judgeOf('죽고 싶어요', classification(false, at(Math.PI / 2)));
    expect(verdict).toEqual({ crisis: true, reason: 'lexicon' });
  });

  it('reads the context only for a signal below the bar, and keeps a crisis conversation one (rule 3)', async () => {
    const context = jest.fn(async (): Promise<CrisisContext> => ({ state: 'assigned', priority: 'crisis' }));
    const below = { lexicon: 'contextual' as const, disclaimed: [], head: { probability: 0.1, threshold: 0.5 }, modelCrisis: false };
    expect(await decideCrisisWithHead(below, context)).toEqual({ crisis: true, reason: 'crisis-conversation' });
    expect(await decideCrisisWithHead({ ...below, head: { probability: 0.3, threshold: 0.5 }, lexicon: undefined }, context)).toEqual({ crisis: true, reason: 'crisis-conversation' });
    expect(context).toHaveBeenCalledTimes(2);
    const nothing = { disclaimed: [], head: { probability: 0.1, threshold: 0.5 }, modelCrisis: false };
    expect(await decideCrisisWithHead(nothing, context)).toEqual({ crisis: false, reason: 'no-signal' });
    expect(context).toHaveBeenCalledTimes(2);
    const disclaimed = { lexicon: 'explicit' as const, disclaimed: ['joke_disclaimer'], head: { probability: 0.2, threshold: 0.5 }, modelCrisis: true };
    expect(await decideCrisisWithHead(disclaimed, async () => fresh)).toEqual({ crisis: false, reason: 'disclaimed:joke_disclaimer' });
  });

  it('clears a farewell-like message the head flags where the context explains goodbyes, unless the head is sure (rule 4)', async () => {
    const farewell = { lexicon: 'contextual' as const, disclaimed: [], head: { probability: 0.8, threshold: 0.5 }, modelCrisis: false };
    const survey = async (): Promise<CrisisContext> => ({ state: 'bot', priority: 'normal', awaiting: 'survey_comment' });
    expect(await decideCrisisWithHead(farewell, survey)).toEqual({ crisis: false, reason: 'context-farewell' });
    expect(await decideCrisisWithHead(farewell, async () => fresh)).toEqual({ crisis: true, reason: 'crisis-head' });
    expect(await decideCrisisWithHead({ ...farewell, head: { probability: 0.97, threshold: 0.5 } }, survey)).toEqual({ crisis: true, reason: 'crisis-head' });
  });

  it('needs a sure head for a message without lexicon hit where the context expects follow-ups (rule 6)', async () => {
    const model = { disclaimed: [], head: { probability: 0.85, threshold: 0.5 }, modelCrisis: true };
    const afterAnswer = async (): Promise<CrisisContext> => ({ state: 'bot', priority: 'normal', lastIntent: 'complaint_status' });
    expect(await decideCrisisWithHead(model, afterAnswer)).toEqual({ crisis: false, reason: 'context-model' });
    expect(await decideCrisisWithHead(model, async () => fresh)).toEqual({ crisis: true, reason: 'crisis-head' });
    expect(await decideCrisisWithHead({ ...model, head: { probability: 0.92, threshold: 0.5 } }, afterAnswer)).toEqual({ crisis: true, reason: 'crisis-head' });
    // A greeting served no request: a crisis told right after it is not a follow-up.
    const afterGreeting = async (): Promise<CrisisContext> => ({ state: 'bot', priority: 'normal', lastIntent: 'greeting' });
    expect(await decideCrisisWithHead(model, afterGreeting)).toEqual({ crisis: true, reason: 'crisis-head' });
  });

  it('needs a sure head for a message without lexicon hit said to a counselor, who reads it (rule 6)', async () => {
    const model = { disclaimed: [], head: { probability: 0.85, threshold: 0.5 }, modelCrisis: false };
    const withCounselor = async (): Promise<CrisisContext> => ({ state: 'assigned', priority: 'request' });
    expect(await decideCrisisWithHead(model, withCounselor)).toEqual({ crisis: false, reason: 'context-model' });
    expect(await decideCrisisWithHead({ ...model, head: { probability: 0.92, threshold: 0.5 } }, withCounselor)).toEqual({ crisis: true, reason: 'crisis-head' });
    // A lexicon hit keeps its own rules there.
    expect(await decideCrisisWithHead({ ...model, lexicon: 'explicit' }, withCounselor)).toEqual({ crisis: true, reason: 'lexicon' });
  });

  it('leaves a message without an embedding to the hand-written rules (lexical fallback)', async () => {
    const { vector: _vector, ...lexical } = classification(true, at(0));
    const verdict = await judgeOf('분리수거 요일이 언제예요', { ...lexical, model: 'lexical-tfidf' });
    expect(verdict.reason).not.toMatch(/crisis-head/);
  });
});
