/**
 * Gets the FAQ index for the current entries and intent examples: the saved one when exactly these
 * inputs were indexed before, else a new one built and tuned by the runner (the FAQ index thread in
 * the service). With the encoder, the texts are embedded first (through its embedding cache, so an
 * edit re-embeds only what changed); the main thread then only installs the finished snapshot.
 */
import path from 'node:path';
import type { FaqEntry } from '../core/knowledge-port';
import { embedAsRows, type Embedder } from '../core/nlu-port';
import { yieldToLoop } from '../jobs/yield-to-loop';
import {
  faqIndexKey,
  runFaqIndexJob,
  type FaqIndex,
  type FaqIndexRequest,
  type FaqIndexResult,
  type PrecomputedVectors,
} from './faq-index-job';
import { HybridRetriever, textsToEmbed, type IntentExample, type RetrieverTuning } from './hybrid-retriever';
import { LexicalEmbedder } from './lexical-embedder';
import type { TuningReport } from './retriever-tuning';

/** Where FAQ index jobs run. */
export interface FaqIndexRunner {
  run(request: FaqIndexRequest, options?: { transfer?: ArrayBuffer[] }): Promise<FaqIndexResult>;
}

/** Runs jobs on the calling thread (blocks it: tools and tests only). */
export const inProcessFaqIndexRunner: FaqIndexRunner = { run: (request) => runFaqIndexJob(request) };

/** The transformer encoder as the FAQ index uses it. */
export interface IndexEncoder {
  /** Embeds residents' questions at search time. */
  query: Embedder;
  /** Embeds the indexed texts (behind the embedding cache). */
  bulk: Embedder;
  /** Identity of the weights (part of the saved index's key). */
  fingerprint: string;
}

export interface InstalledIndex {
  retriever: HybridRetriever;
  report?: TuningReport;
  /** Loaded from the cache, built and tuned now, or built now on the previous index's tuning (quick). */
  source: 'cache' | 'built' | 'quick';
  /** Milliseconds each stage took (wall clock, waits included): where an edit's time goes. */
  stages: BuildStages;
}

/** Wall-clock milliseconds of a build's stages (absent: not run). */
export interface BuildStages {
  /** Looking for a saved index (a round trip to the index thread and a file read). */
  lookup?: number;
  /** Embedding the texts with the encoder (through its embedding cache). */
  embed?: number;
  /** The build job in the index thread, sending the inputs and receiving the snapshot included. */
  job?: number;
  /** Restoring the snapshot into a retriever on the main thread. */
  install?: number;
}

export class FaqIndexBuilder {
  /**
   * @param cacheDir cache root (CACHE_DIR); indexes go to <cacheDir>/faq-indexes; undefined = none
   */
  constructor(
    private readonly runner: FaqIndexRunner,
    private readonly cacheDir?: string,
  ) {}

  /** Identity of the index these inputs give (same key, same index). */
  key(entries: FaqEntry[], examples: IntentExample[], encoder?: IndexEncoder): string {
    return faqIndexKey(
      entries,
      examples,
      encoder && { name: encoder.query.name, fingerprint: encoder.fingerprint },
    );
  }

  /**
   * The saved index for these inputs, or a new one.
   * @param encoder the transformer; undefined = the lexical embedder
   * @param options.tuning build a quick index on this tuning (not tuned, not saved) unless one is saved
   * @throws Error when embedding or building fails
   */
  async build(
    entries: FaqEntry[],
    examples: IntentExample[],
    encoder?: IndexEncoder,
    options: { tuning?: RetrieverTuning } = {},
  ): Promise<InstalledIndex> {
    const key = this.key(entries, examples, encoder);
    const file = this.cacheDir ? path.join(this.cacheDir, 'faq-indexes', `${key}.v8`) : undefined;
    const stages: BuildStages = {};
    let started = performance.now();
    const lap = (stage: keyof BuildStages) => {
      const now = performance.now();
      stages[stage] = Math.round(now - started);
      started = now;
    };
    if (file) {
      const found = await this.runner.run({ type: 'faq-lookup', file });
      lap('lookup');
      if (found.index) return this.install(found.index, encoder, 'cache', stages);
    }
    const vectors = encoder ? await this.embed(entries, examples, encoder.bulk) : undefined;
    if (vectors) lap('embed');
    const { tuning } = options;
    const built = await this.runner.run(
      { type: 'faq-build', file, entries, examples, vectors, ...(tuning && { tuning }) },
      {
        transfer: vectors
          ? ([vectors.query.vectors.buffer, vectors.passage.vectors.buffer] as ArrayBuffer[])
          : [],
      },
    );
    lap('job');
    return this.install(built.index!, encoder, tuning ? 'quick' : 'built', stages);
  }

  private async embed(
    entries: FaqEntry[],
    examples: IntentExample[],
    embedder: Embedder,
  ): Promise<PrecomputedVectors> {
    const texts = textsToEmbed(entries, examples);
    const query = [...new Set(texts.query)];
    const passage = [...new Set(texts.passage)];
    await yieldToLoop();
    // Rows in one array per kind, moved to the index thread as they are.
    const queryRows = await embedAsRows(embedder, query, 'query');
    const passageRows = await embedAsRows(embedder, passage, 'passage');
    const dimension = query.length
      ? queryRows.length / query.length
      : passage.length
        ? passageRows.length / passage.length
        : embedder.dimension;
    return {
      name: embedder.name,
      dimension,
      query: { texts: query, vectors: queryRows },
      passage: { texts: passage, vectors: passageRows },
    };
  }

  private async install(
    index: FaqIndex,
    encoder: IndexEncoder | undefined,
    source: InstalledIndex['source'],
    stages: BuildStages,
  ): Promise<InstalledIndex> {
    const started = performance.now();
    await yieldToLoop(); // Receiving the snapshot took this turn; restoring it gets its own.
    const queries = index.lexical ? LexicalEmbedder.fromState(index.lexical) : encoder?.query;
    if (!queries) throw new Error('a transformer FAQ index needs the encoder for queries');
    const retriever = HybridRetriever.fromSnapshot(index.snapshot, queries);
    return {
      retriever,
      ...(index.report && { report: index.report }),
      source,
      stages: { ...stages, install: Math.round(performance.now() - started) },
    };
  }
}
