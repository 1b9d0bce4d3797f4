/**
 * An FAQ edit's rebuild does work only for what the edit changed (issue 15: B must answer with an
 * edit within 2 s). Lexical: the FAQ index thread remembers each text's n-gram counts, so a rebuild
 * extracts only the new texts', and builds from sparse rows; the index must still equal one built
 * from scratch the old way (dense vectors, nothing remembered), corpus statistics (IDF, BM25
 * document frequencies) included. Transformer: the encoder embeds only the edited texts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FaqEntry } from '../../src/core/knowledge-port';
import type { Embedder } from '../../src/core/nlu-port';
import { FaqIndexBuilder, inProcessFaqIndexRunner } from '../../src/knowledge/faq-index-builder';
import { buildFaqIndex, lexicalTextsExtracted } from '../../src/knowledge/faq-index-job';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { DEFAULT_TUNING, HybridRetriever, textsToEmbed } from '../../src/knowledge/hybrid-retriever';
import { LexicalEmbedder } from '../../src/knowledge/lexical-embedder';
import { CachingEmbedder } from '../../src/nlu/embedding-cache';
import { loadIntentData } from '../../src/nlu/intent-data';

jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');
const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
const examples = loadIntentData(path.join(ROOT, 'intents')).examples.filter((_, i) => i % 3 === 0);

/** `entries` with one entry's Korean answer and first Korean question rewritten (new texts). */
function edit(list: FaqEntry[], at: number, tag: string): FaqEntry[] {
  const e = list[at]!;
  const [first, ...rest] = e.questions.ko ?? [];
  const changed: FaqEntry = {
    ...e,
    questions: { ...e.questions, ko: [`${first ?? ''} ${tag} 새 표현으로 물어봐요`, ...rest] },
    answer: { ...e.answer, ko: `${tag} 바뀐 안내입니다. ${e.answer.ko ?? ''}` },
  };
  return list.map((x, i) => (i === at ? changed : x));
}

/** The old build: the lexical embedder fitted from scratch, its vectors handed over densely. */
async function scratchBuild(list: FaqEntry[]): Promise<HybridRetriever> {
  const fitted = new LexicalEmbedder().fit(list.flatMap((e) => Object.values(e.questions).flat()));
  const dense: Embedder = { name: fitted.name, dimension: fitted.dimension, embed: (t, k) => fitted.embed(t, k) };
  return HybridRetriever.build(list, dense, { intentExamples: examples, tuning: DEFAULT_TUNING });
}

/** Distinct texts of `after` that `before` did not have (what an edit brings). */
function newTexts(before: FaqEntry[], after: FaqEntry[]): number {
  const all = (list: FaqEntry[]) => {
    const t = textsToEmbed(list, examples);
    return new Set([...t.query, ...t.passage]);
  };
  const old = all(before);
  return [...all(after)].filter((t) => !old.has(t)).length;
}

describe('FAQ edit rebuild', () => {
  it('extracts only the edited texts and gives the index a build from scratch gives', async () => {
    await buildFaqIndex(entries, examples, undefined, DEFAULT_TUNING);
    const edited = edit(entries, 3, '첫째');
    const before = lexicalTextsExtracted();
    const quick = await buildFaqIndex(edited, examples, undefined, DEFAULT_TUNING);
    // The edit brought one new question and one new answer; the other ~2,000 texts are remembered.
    expect(newTexts(entries, edited)).toBe(2);
    expect(lexicalTextsExtracted() - before).toBe(2);

    // Same index as the old way builds it: the new question changes the IDF of its n-grams (and so
    // every vector holding them) and the BM25 document frequencies of its tokens.
    const scratch = await scratchBuild(edited);
    expect(isDeepStrictEqual(quick.snapshot, scratch.toSnapshot())).toBe(true);
    expect(quick.lexical).toEqual(
      new LexicalEmbedder().fit(edited.flatMap((e) => Object.values(e.questions).flat())).toState(),
    );
  });

  it('answers like a build from scratch after a question is removed (the corpus size changes)', async () => {
    const fewer = entries.map((e, i) => (i === 5 ? { ...e, questions: { ...e.questions, ko: (e.questions.ko ?? []).slice(1) } } : e));
    await buildFaqIndex(entries, examples, undefined, DEFAULT_TUNING);
    const before = lexicalTextsExtracted();
    const quick = await buildFaqIndex(fewer, examples, undefined, DEFAULT_TUNING);
    expect(lexicalTextsExtracted() - before).toBe(0);
    const installed = HybridRetriever.fromSnapshot(quick.snapshot, LexicalEmbedder.fromState(quick.lexical!));
    const scratch = await scratchBuild(fewer);
    const queries = [...examples.filter((_, i) => i % 10 === 0).map((e) => e.text), '음식물 쓰레기는 어떻게 버려요?'];
    for (const q of queries) expect(await installed.search(q, 'ko', 3)).toEqual(await scratch.search(q, 'ko', 3));
  });

  it('embeds only the edited texts with the encoder', async () => {
    const small = entries.slice(0, 30);
    const texts: string[] = [];
    const encoder: Embedder = {
      name: 'counting-16',
      dimension: 16,
      embed: async (list) => {
        texts.push(...list);
        return list.map((t) => Float32Array.from({ length: 16 }, (_, d) => ((t.length + d) % 7) / 7 + 0.1));
      },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faq-edit-encoder-'));
    try {
      const bulk = new CachingEmbedder(encoder, dir, 'fingerprint');
      const builder = new FaqIndexBuilder(inProcessFaqIndexRunner);
      const index = { query: encoder, bulk, fingerprint: 'fingerprint' };
      const first = await builder.build(small, examples, index, { tuning: DEFAULT_TUNING });
      const edited = edit(small, 2, '둘째');
      texts.length = 0;
      await builder.build(edited, examples, index, { tuning: first.retriever.tuning });
      expect(texts.sort()).toEqual([edited[2]!.answer.ko!, edited[2]!.questions.ko![0]!].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
