/**
 * Owns the FAQ: entries live in the store (versioned), seeded from knowledge/faq; the retriever is
 * rebuilt and re-tuned from them on reload, and swapped in whole so a turn always sees one index.
 */
import { createHash } from 'node:crypto';
import { isConflict } from '../core/errors';
import type { FaqEntry, KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import type { Logger } from '../core/logger-port';
import type { Embedder } from '../core/nlu-port';
import type { Store } from '../core/store-port';
import type { LabeledExample } from '../nlu/intent-data';
import { loadFaqFiles } from './faq-loader';
import { HybridRetriever } from './hybrid-retriever';
import { LexicalEmbedder } from './lexical-embedder';
import { tuneRetriever, type TuningReport } from './retriever-tuning';

export interface KnowledgeServiceDeps {
  store: Store;
  /** Folder with the seed files (knowledge/faq). */
  faqDir: string;
  /** Current intent examples, for the no-answer negatives. */
  intentExamples: () => LabeledExample[];
  logger: Logger;
}

export interface KnowledgeStatus {
  entries: number;
  embedder: string;
  /** True while only the lexical embedder is in use. */
  degraded: boolean;
  threshold: number;
  tuning?: TuningReport;
  reloadedAt?: string;
}

/**
 * Retrievers already built and tuned, by content: identical data gives an identical index, so
 * another service in the same process (tests, several instances) reuses it. Read-only once built.
 */
const BUILT = new Map<string, { retriever: HybridRetriever; report?: TuningReport }>();

export class KnowledgeService implements KnowledgeRetriever {
  private retriever?: HybridRetriever;
  private embedder?: Embedder;
  private report?: TuningReport;
  private reloadedAt?: Date;
  private reloading: Promise<void> = Promise.resolve();

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

  /** Switches to another encoder (the transformer once loaded) and rebuilds. */
  async useEmbedder(embedder: Embedder): Promise<void> {
    this.embedder = embedder;
    await this.reload();
  }

  /** Rebuilds and re-tunes the index from the store; reloads run one at a time. */
  reload(): Promise<void> {
    const run = this.reloading.then(() => this.rebuild());
    this.reloading = run.catch(() => undefined);
    return run;
  }

  private async rebuild(): Promise<void> {
    const entries = await this.currentEntries();
    const examples = this.deps.intentExamples();
    const key = createHash('sha256')
      .update(JSON.stringify([this.embedder?.name ?? 'lexical', entries, examples]))
      .digest('hex');
    let built = BUILT.get(key);
    if (!built) {
      // The lexical embedder learns its weights from the corpus, so it is refitted on every rebuild.
      const embedder =
        this.embedder ?? new LexicalEmbedder().fit(entries.flatMap((e) => Object.values(e.questions).flat()));
      const retriever = await HybridRetriever.build(entries, embedder, { intentExamples: examples });
      built = { retriever, report: entries.length ? await tuneRetriever(retriever, examples) : undefined };
      BUILT.set(key, built);
      if (BUILT.size > 4) BUILT.delete(BUILT.keys().next().value!);
    }
    const { retriever } = built;
    const embedder = retriever.embedder;
    this.report = built.report;
    this.retriever = retriever;
    this.reloadedAt = new Date();
    this.deps.logger.info(
      {
        entries: entries.length,
        embedder: embedder.name,
        alpha: retriever.tuning.alpha,
        threshold: retriever.tuning.threshold,
      },
      'FAQ index rebuilt',
    );
  }

  async search(query: string, language: string, k = 5): Promise<RetrievalResult> {
    if (!this.retriever) return { confidence: 0, answerable: false, hits: [] };
    return this.retriever.search(query, language, k);
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
      degraded: !this.embedder,
      threshold: this.retriever?.tuning.threshold ?? 1,
      ...(this.report && { tuning: this.report }),
      ...(this.reloadedAt && { reloadedAt: this.reloadedAt.toISOString() }),
    };
  }
}
