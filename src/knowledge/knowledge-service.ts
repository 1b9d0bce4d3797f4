/**
 * Owns the FAQ: entries live in the store (versioned), seeded from knowledge/faq; the retriever is
 * rebuilt and re-tuned from them on reload (in the FAQ index thread, or loaded from the cache), and
 * swapped in whole so a turn always sees one index.
 */
import { isConflict } from '../core/errors';
import type { FaqEntry, KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import type { Logger } from '../core/logger-port';
import type { QueryVectorOption } from '../core/nlu-port';
import type { Store } from '../core/store-port';
import { yieldToLoop } from '../jobs/yield-to-loop';
import type { LabeledExample } from '../nlu/intent-data';
import type { BuildStages, FaqIndexBuilder, IndexEncoder, InstalledIndex } from './faq-index-builder';
import { loadFaqFiles } from './faq-loader';
import type { HybridRetriever } from './hybrid-retriever';
import type { TuningReport } from './retriever-tuning';

export interface KnowledgeServiceDeps {
  store: Store;
  /** Folder with the seed files (knowledge/faq). */
  faqDir: string;
  /** Current intent examples, for the no-answer negatives. */
  intentExamples: () => LabeledExample[];
  /** Builds (off the event loop) or loads indexes. */
  indexer: FaqIndexBuilder;
  logger: Logger;
}

export interface KnowledgeStatus {
  entries: number;
  embedder: string;
  /** True while only the lexical embedder is in use. */
  degraded: boolean;
  /** False until the first index is installed. */
  ready: boolean;
  /** True while an index on the transformer encoder is expected but not installed yet. */
  loading: boolean;
  /** Where the index in use came from: saved for the same inputs, or built now. */
  indexSource?: InstalledIndex['source'];
  threshold: number;
  tuning?: TuningReport;
  reloadedAt?: string;
  /** How the index in use was made: milliseconds per stage, from the start of the rebuild. */
  lastRebuild?: RebuildTimings;
}

/** Where a rebuild's time went (wall clock, waits for CPU included). */
export interface RebuildTimings extends BuildStages {
  /** Reading the entries from the store (and waiting for the rebuild before it). */
  read: number;
  /** From the start of the rebuild until the index was installed. */
  total: number;
}

/**
 * Lexical retrievers already built and tuned, by content: identical data gives an identical index,
 * so another service in the same process (tests, tools) reuses it. Read-only once built.
 */
const BUILT = new Map<string, InstalledIndex>();

export class KnowledgeService implements KnowledgeRetriever {
  private retriever?: HybridRetriever;
  private encoder?: IndexEncoder;
  private report?: TuningReport;
  private source?: InstalledIndex['source'];
  private reloadedAt?: Date;
  private reloading: Promise<void> = Promise.resolve();
  /** A rebuild queued behind the running one, which later reloads join instead of queueing more. */
  private queued?: Promise<void>;
  private awaitingEncoder = false;
  private last?: { key: string; built: InstalledIndex };
  private lastRebuild?: RebuildTimings;

  constructor(private readonly deps: KnowledgeServiceDeps) {}

  /** Seeds the store from the data files, then builds the index. */
  async start(): Promise<void> {
    await this.seed();
    await this.reload();
  }

  /**
   * Brings new or changed seed entries into the store. An entry an admin has edited or deleted is
   * left alone: edits made through the admin API win over the files.
   */
  async seed(): Promise<number> {
    const files = loadFaqFiles(this.deps.faqDir);
    const stored = new Map((await this.deps.store.knowledge.latest('faq')).map((v) => [v.key, v]));
    let changed = 0;
    for (const entry of files) {
      const current = stored.get(entry.id);
      if (
        current &&
        (current.actor !== 'seed' || current.deleted || JSON.stringify(current.doc) === JSON.stringify(entry))
      )
        continue;
      try {
        await this.deps.store.knowledge.append({
          kind: 'faq',
          key: entry.id,
          doc: entry,
          actor: 'seed',
          note: 'knowledge/faq data file',
          expectedVersion: current?.version ?? 0,
        });
        changed++;
      } catch (err) {
        // Another instance seeded it first.
        if (!isConflict(err)) throw err;
      }
    }
    if (changed) this.deps.logger.info({ changed }, 'FAQ entries seeded from data files');
    return changed;
  }

  /** The current (not deleted) entries from the store. */
  async currentEntries(): Promise<FaqEntry[]> {
    return (await this.deps.store.knowledge.latest('faq'))
      .filter((v) => !v.deleted && v.doc)
      .map((v) => v.doc as FaqEntry);
  }

  /** Switches to the transformer encoder and rebuilds. */
  async useEmbedder(encoder: IndexEncoder): Promise<void> {
    this.encoder = encoder;
    await this.reload();
  }

  /**
   * Switches to the transformer encoder once `ready` gives it (undefined: stays lexical); until then
   * status() says an index on it is still loading.
   */
  async useEmbedderWhenReady(ready: Promise<IndexEncoder | undefined>): Promise<void> {
    this.awaitingEncoder = true;
    try {
      const encoder = await ready;
      if (encoder) await this.useEmbedder(encoder);
    } finally {
      this.awaitingEncoder = false;
    }
  }

  /**
   * Rebuilds and re-tunes the index from the store. Rebuilds run one at a time; reloads that arrive
   * while one is waiting join it (it reads the store when it starts, so it includes their changes).
   */
  reload(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.reloading.then(() => {
      this.queued = undefined;
      return this.rebuild();
    });
    this.queued = run;
    this.reloading = run.catch(() => undefined);
    return run;
  }

  private async rebuild(): Promise<void> {
    const started = performance.now();
    const entries = await this.currentEntries();
    const read = Math.round(performance.now() - started);
    await yieldToLoop(); // Keying hashes every entry and example.
    const examples = this.deps.intentExamples();
    const encoder = this.encoder;
    const key = this.deps.indexer.key(entries, examples, encoder);
    // A transformer index searches through this service's own encoder, so only lexical ones are shared.
    let built = this.last?.key === key ? this.last.built : encoder ? undefined : BUILT.get(key);
    if (!built) {
      const previous = this.retriever;
      // An edit on an index of the same kind: the previous tuning still fits an FAQ a few entries
      // away, so an index built on it (seconds, no tuning) answers with the edit first; the tuned
      // one replaces it when done (tuning is most of a build: a minute on a loaded machine).
      if (previous && this.sameKind(previous, encoder)) {
        const quick = await this.deps.indexer.build(entries, examples, encoder, { tuning: previous.tuning });
        this.install(quick, entries.length, { read, started });
        if (quick.source === 'cache') built = quick;
      }
      built ??= await this.deps.indexer.build(entries, examples, encoder);
      if (!encoder) {
        BUILT.set(key, built);
        if (BUILT.size > 4) BUILT.delete(BUILT.keys().next().value!);
      }
    }
    this.last = { key, built };
    this.install(built, entries.length, { read, started });
  }

  /** Whether `retriever` searches with the embedder an index for `encoder` would use. */
  private sameKind(retriever: HybridRetriever, encoder: IndexEncoder | undefined): boolean {
    // Without an encoder every index is lexical; the switch to the encoder is not an edit.
    return encoder ? retriever.embedder === encoder.query : true;
  }

  private install(built: InstalledIndex, entries: number, rebuild: { read: number; started: number }): void {
    const { retriever } = built;
    const timings: RebuildTimings = { read: rebuild.read, ...built.stages, total: Math.round(performance.now() - rebuild.started) };
    this.lastRebuild = timings;
    this.report = built.report ?? this.report;
    this.source = built.source;
    this.retriever = retriever;
    this.reloadedAt = new Date();
    this.deps.logger.info(
      {
        entries,
        embedder: retriever.embedder.name,
        alpha: retriever.tuning.alpha,
        threshold: retriever.tuning.threshold,
        source: built.source,
        ms: timings,
      },
      built.source === 'quick' ? 'FAQ index rebuilt on the previous tuning; tuning it now' : 'FAQ index rebuilt',
    );
  }

  async search(query: string, language: string, k = 5, options?: QueryVectorOption): Promise<RetrievalResult> {
    if (!this.retriever) return { confidence: 0, answerable: false, hits: [] };
    return this.retriever.search(query, language, k, options);
  }

  /** An entry by id from the current index. */
  entry(id: string): FaqEntry | undefined {
    return this.retriever?.entries.find((e) => e.id === id);
  }

  /** Entries of the current index (for related questions). */
  entries(): readonly FaqEntry[] {
    return this.retriever?.entries ?? [];
  }

  status(): KnowledgeStatus {
    const name = this.retriever?.embedder.name ?? 'none';
    return {
      entries: this.retriever?.entries.length ?? 0,
      embedder: name,
      degraded: !this.encoder || this.retriever?.embedder !== this.encoder.query,
      ready: this.retriever !== undefined,
      loading: this.awaitingEncoder,
      ...(this.source && { indexSource: this.source }),
      threshold: this.retriever?.tuning.threshold ?? 1,
      ...(this.report && { tuning: this.report }),
      ...(this.reloadedAt && { reloadedAt: this.reloadedAt.toISOString() }),
      ...(this.lastRebuild && { lastRebuild: this.lastRebuild }),
    };
  }
}
