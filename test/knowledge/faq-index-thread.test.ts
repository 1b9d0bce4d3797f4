/**
 * FAQ indexes built and tuned in the FAQ index thread, installed on the main thread from a
 * snapshot, and saved in the cache: they search exactly like an index built in place, a second
 * build with the same inputs loads the saved one, and changed inputs build anew.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaqEntry } from '../../src/core/knowledge-port';
import type { Embedder } from '../../src/core/nlu-port';
import { JobThread } from '../../src/jobs/job-thread';
import { FaqIndexBuilder } from '../../src/knowledge/faq-index-builder';
import type { FaqIndexRequest, FaqIndexResult } from '../../src/knowledge/faq-index-job';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { HybridRetriever } from '../../src/knowledge/hybrid-retriever';
import { LexicalEmbedder } from '../../src/knowledge/lexical-embedder';
import { buildSplit, tuneRetriever } from '../../src/knowledge/retriever-tuning';
import { loadIntentData } from '../../src/nlu/intent-data';

jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'src', 'knowledge', 'faq-index-worker.ts');

/** A small dense encoder (hashed character trigrams in 64 dimensions), deterministic like the real one. */
class HashingEncoder implements Embedder {
  readonly name = 'hashing-64';
  readonly dimension = 64;
  calls = 0;

  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    this.calls += texts.length;
    return texts.map((text) => {
      const v = new Float32Array(this.dimension);
      const s = `${kind}:${text}`;
      for (let i = 0; i + 3 <= s.length; i++) {
        let h = 2166136261;
        for (let j = i; j < i + 3; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619);
        v[(h >>> 0) % this.dimension]! += 1;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  }
}

const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq')).slice(0, 40);
const examples = loadIntentData(path.join(ROOT, 'intents')).examples.filter((_, i) => i % 3 === 0);
const queries = [
  ...entries.flatMap((e) => Object.values(e.questions).flat().slice(0, 1)),
  '버스 첫차 몇 시예요',
  'how do I pay my car tax',
  '오늘 날씨 어때요',
];

async function results(retriever: HybridRetriever) {
  return Promise.all(
    queries.map(async (q) => {
      const r = await retriever.search(q, 'ko', 3);
      return {
        confidence: r.confidence,
        answerable: r.answerable,
        hits: r.hits.map((h) => [h.entry.id, h.score]),
      };
    }),
  );
}

describe('FAQ index thread', () => {
  let thread: JobThread<FaqIndexRequest, FaqIndexResult>;
  let cacheDir: string;
  beforeAll(() => {
    thread = new JobThread<FaqIndexRequest, FaqIndexResult>(WORKER, 'FAQ index thread');
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faq-index-'));
  });
  afterAll(async () => {
    await thread.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('builds a lexical index that searches exactly like one built in place', async () => {
    const embedder = new LexicalEmbedder().fit(entries.flatMap((e) => Object.values(e.questions).flat()));
    const inPlace = await HybridRetriever.build(entries, embedder, { intentExamples: examples });
    const report = await tuneRetriever(inPlace, examples);
    const installed = await new FaqIndexBuilder(thread).build(entries, examples);
    expect(installed).toMatchObject({ source: 'built', report });
    expect(installed.retriever.tuning).toEqual(inPlace.tuning);
    expect(await results(installed.retriever)).toEqual(await results(inPlace));
  });

  it('builds an encoder index from vectors computed on the main thread, and searches with the encoder', async () => {
    const encoder = new HashingEncoder();
    const inPlace = await HybridRetriever.build(entries, encoder, { intentExamples: examples });
    await tuneRetriever(inPlace, examples);
    const installed = await new FaqIndexBuilder(thread).build(entries, examples, {
      query: encoder,
      bulk: encoder,
      fingerprint: 'hashing-64-v1',
    });
    expect(installed.retriever.embedder).toBe(encoder);
    expect(installed.retriever.tuning).toEqual(inPlace.tuning);
    expect(await results(installed.retriever)).toEqual(await results(inPlace));
  });

  it('saves the index: the same inputs load it, changed inputs build a new one', async () => {
    const encoder = new HashingEncoder();
    const identity = { query: encoder, bulk: encoder, fingerprint: 'hashing-64-v1' };
    const first = await new FaqIndexBuilder(thread, cacheDir).build(entries, examples, identity);
    expect(first.source).toBe('built');
    expect(fs.readdirSync(path.join(cacheDir, 'faq-indexes'))).toHaveLength(1);

    const embedded = encoder.calls;
    const again = await new FaqIndexBuilder(thread, cacheDir).build(entries, examples, identity);
    expect(again.source).toBe('cache');
    expect(encoder.calls).toBe(embedded); // Nothing embedded for a saved index.
    expect(await results(again.retriever)).toEqual(await results(first.retriever));

    const edited: FaqEntry[] = entries.map((e, i) =>
      i === 0 ? { ...e, answer: { ...e.answer, ko: `${e.answer.ko ?? ''} (개정)` } } : e,
    );
    expect((await new FaqIndexBuilder(thread, cacheDir).build(edited, examples, identity)).source).toBe(
      'built',
    );
    // Another encoder (other weights) never loads an index built on this one.
    const other = { ...identity, fingerprint: 'hashing-64-v2' };
    expect((await new FaqIndexBuilder(thread, cacheDir).build(entries, examples, other)).source).toBe(
      'built',
    );
    expect(fs.readdirSync(path.join(cacheDir, 'faq-indexes'))).toHaveLength(3);
  });

  it('an installed index searches but cannot be re-tuned (its variant vectors stayed in the thread)', async () => {
    const installed = await new FaqIndexBuilder(thread).build(entries, examples);
    await expect(buildSplit(installed.retriever, examples)).rejects.toThrow(/cannot be re-tuned/);
  });
});
