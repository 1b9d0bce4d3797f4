/**
 * The crisis head's stored threshold (src/nlu/crisis-head-threshold.ts): used by the training when
 * it was computed for the current crisis-head files, cross-validated again otherwise; and the
 * checked-in intents/crisis-head/threshold.json kept in step with the checked-in data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Embedder } from '../../src/core/nlu-port';
import { CRISIS_HEAD_FORMAT } from '../../src/nlu/crisis-head';
import { buildCrisisHead, CRISIS_HEAD_SETTINGS, CRISIS_HEAD_TARGET_RECALL, type CrisisHeadRunner } from '../../src/nlu/crisis-head-builder';
import { loadCrisisHeadLines } from '../../src/nlu/crisis-head-data';
import { crisisHeadKey, runCrisisHeadJob, type CrisisHeadResult } from '../../src/nlu/crisis-head-job';
import {
  CRISIS_HEAD_THRESHOLD_COMMAND,
  CRISIS_HEAD_THRESHOLD_FILE,
  crisisHeadDataHash,
  readStoredThreshold,
  staleness,
  type StoredCrisisHeadThreshold,
} from '../../src/nlu/crisis-head-threshold';
import { resolveModel } from '../../src/nlu/model-location';
import { MODEL_DIR, ROOT } from './model-fixture';

const LEXICONS = path.join(ROOT, 'intents', 'lexicons');
const STORED = 0.4242;

/** A unit vector at `angle` in the plane: crisis lines near 0, other lines near pi/2. */
const at = (angle: number) => [Math.cos(angle), Math.sin(angle)];

/** Separable lines of two dev sets (JSONL rows) and intent examples, each text with its 2-d embedding. */
function tinyData() {
  const vectors = new Map<string, number[]>();
  const rows: string[] = [];
  const examples: { text: string; intent: string; language: string }[] = [];
  ['dev-a', 'dev-b', 'intents'].forEach((set, s) => {
    for (let k = 0; k < 10; k++) {
      const jitter = ((k * 7 + s * 3) % 10) / 40;
      for (const crisis of [true, false]) {
        const text = `${crisis ? 'crisis' : 'other'} ${set} ${k}`;
        vectors.set(text, at(crisis ? jitter : Math.PI / 2 - jitter));
        if (set === 'intents') examples.push({ text, intent: crisis ? 'crisis_support' : 'greeting', language: 'ko' });
        else rows.push(JSON.stringify({ text, crisis, set }));
      }
    }
  });
  return { vectors, rows, examples };
}

/** An encoder that knows only the tiny lines. */
const embedderOf = (vectors: Map<string, number[]>): Embedder => ({
  name: 'tiny',
  dimension: 2,
  embed: async (texts) => texts.map((t) => Float32Array.from(vectors.get(t) ?? at(Math.PI / 4))),
});

describe('stored crisis-head threshold', () => {
  const { vectors, rows, examples } = tinyData();
  let dir: string;
  let dataDir: string;
  let results: CrisisHeadResult[];
  const runner: CrisisHeadRunner = {
    run: async (request, options) => {
      const result = runCrisisHeadJob(request, options.onProgress);
      results.push(result);
      return result;
    },
  };
  const stored = (over: Partial<StoredCrisisHeadThreshold> = {}): StoredCrisisHeadThreshold => ({
    threshold: STORED,
    targetRecall: CRISIS_HEAD_TARGET_RECALL,
    format: CRISIS_HEAD_FORMAT,
    settings: CRISIS_HEAD_SETTINGS,
    encoder: 'tiny-encoder',
    dataHash: crisisHeadDataHash(dataDir),
    folds: [],
    computedAt: '2026-12-06T00:00:00.000Z',
    ...over,
  });
  const store = (s: StoredCrisisHeadThreshold) => fs.writeFileSync(path.join(dataDir, CRISIS_HEAD_THRESHOLD_FILE), JSON.stringify(s));
  const build = () =>
    buildCrisisHead({
      embedder: embedderOf(vectors),
      fingerprint: 'tiny-encoder',
      lines: loadCrisisHeadLines(dataDir, examples),
      lexiconDir: LEXICONS,
      dataDir,
      cacheDir: path.join(dir, 'cache'),
      runner,
    });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-threshold-'));
    dataDir = path.join(dir, 'crisis-head');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'dev-sets.jsonl'), `${rows.join('\n')}\n`);
    results = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fits one head with the stored threshold when it matches the data files, without cross-validating', async () => {
    store(stored());
    const built = await build();
    expect(built.stale).toBeUndefined();
    expect(built.threshold).toBe(STORED);
    expect(built.head.threshold).toBe(STORED);
    const trained = results.at(-1)!;
    expect(trained.cached).toBe(false);
    expect(trained.cv).toBeUndefined();
    // Saved under its own key, and found again.
    expect((await build()).cached).toBe(true);
  });

  it('cross-validates when the data files changed since, and keeps that head apart from the stored-threshold one', async () => {
    store(stored());
    await build();
    const storedKey = results.at(-1)!.key;
    fs.appendFileSync(path.join(dataDir, 'dev-sets.jsonl'), `${JSON.stringify({ text: 'other dev-b 10', crisis: false, set: 'dev-b' })}\n`);
    vectors.set('other dev-b 10', at(Math.PI / 2));
    results = [];
    const built = await build();
    expect(built.stale).toBe('the crisis-head data files changed');
    const trained = results.at(-1)!;
    expect(trained.cached).toBe(false);
    expect(trained.key).not.toBe(storedKey);
    expect(trained.cv!.folds.map((f) => f.set)).toEqual(['dev-a', 'dev-b']);
    expect(built.threshold).toBe(trained.cv!.threshold);
    expect(built.threshold).not.toBe(STORED);
  });

  it('cross-validates without a stored file, and says so', async () => {
    const built = await build();
    expect(built.stale).toMatch(/no .*threshold\.json/);
    expect(results.at(-1)!.cv).toBeDefined();
  });

  it('keys a head by the stored threshold it used', () => {
    const lines = loadCrisisHeadLines(dataDir, examples);
    const spec = { fingerprint: 'tiny-encoder', lines, lexiconDir: LEXICONS, targetRecall: 0.99 };
    const explicit = lines.map(() => false);
    const keys = new Set([crisisHeadKey(spec, explicit), crisisHeadKey({ ...spec, storedThreshold: 0.4 }, explicit), crisisHeadKey({ ...spec, storedThreshold: 0.5 }, explicit)]);
    expect(keys.size).toBe(3);
  });

  it('names what does not match: format, settings, recall, encoder, data', () => {
    const current = { targetRecall: CRISIS_HEAD_TARGET_RECALL, settings: CRISIS_HEAD_SETTINGS, fingerprint: 'tiny-encoder', dataHash: crisisHeadDataHash(dataDir) };
    expect(staleness(stored(), current)).toBeUndefined();
    expect(staleness(stored({ format: 'crisis-head-0' }), current)).toMatch(/^format/);
    expect(staleness(stored({ settings: { lexical: false } }), current)).toMatch(/^settings/);
    expect(staleness(stored({ targetRecall: 0.95 }), current)).toMatch(/^target recall/);
    expect(staleness(stored({ encoder: 'other' }), current)).toMatch(/^encoder/);
    expect(staleness(stored({ dataHash: 'x' }), current)).toMatch(/data files changed/);
  });
});

describe('checked-in intents/crisis-head/threshold.json', () => {
  const dir = path.join(ROOT, 'intents', 'crisis-head');

  it('was computed from the checked-in crisis-head files with the service settings', () => {
    const stored = readStoredThreshold(dir);
    if ('missing' in stored) throw new Error(`${stored.missing}: run ${CRISIS_HEAD_THRESHOLD_COMMAND}`);
    // The encoder's fingerprint is only comparable where the model folder records its provenance.
    const withProvenance = fs.existsSync(path.join(MODEL_DIR, 'PROVENANCE.json'));
    const fingerprint = withProvenance ? resolveModel(MODEL_DIR).fingerprint : stored.encoder;
    const why = staleness(stored, { targetRecall: CRISIS_HEAD_TARGET_RECALL, settings: CRISIS_HEAD_SETTINGS, fingerprint, dataHash: crisisHeadDataHash(dir) });
    if (why) throw new Error(`intents/crisis-head/threshold.json is stale (${why}): run ${CRISIS_HEAD_THRESHOLD_COMMAND} and commit it`);
  });
});
