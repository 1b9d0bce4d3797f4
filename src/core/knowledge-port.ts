/**
 * Knowledge base ports: FAQ entries, the versioned store behind FAQ and intent-example edits, and
 * the retriever the bot asks. Implementations live in src/knowledge and src/store.
 */
import type { IntentName } from './intents';
import type { LinkRef } from './message';
import type { QueryVector, QueryVectorOption } from './nlu-port';

/** One curated question/answer entry. `questions` and `answer` are keyed by language (ko, en, zh, vi...). */
export interface FaqEntry {
  id: string;
  /** Intent the entry answers. */
  intent: IntentName;
  /** Broad subject, e.g. 'transport', 'waste'. */
  topic: string;
  questions: Record<string, string[]>;
  answer: Record<string, string>;
  links: LinkRef[];
  /** Where the facts come from (agency, page). */
  source: string;
  /** Day the facts were last checked, YYYY-MM-DD. */
  updatedAt: string;
}

/** What a versioned knowledge record describes. */
export type KnowledgeKind = 'faq' | 'intent';

/** One saved version of a knowledge record; versions of a key count 1, 2, 3... */
export interface KnowledgeVersion<T = unknown> {
  kind: KnowledgeKind;
  /** FAQ id or intent name. */
  key: string;
  version: number;
  /** The record as saved; absent when this version deletes it. */
  doc?: T;
  deleted: boolean;
  /** Who saved it: an admin id, 'seed' for the data files, 'import'. */
  actor: string;
  note?: string;
  at: Date;
}

export interface NewKnowledgeVersion {
  kind: KnowledgeKind;
  key: string;
  doc?: unknown;
  deleted?: boolean;
  actor: string;
  note?: string;
  /**
   * The version the editor started from (0 = creating). When the latest version differs the
   * append rejects with 'conflict', so two editors never overwrite each other silently.
   */
  expectedVersion?: number;
}

export interface KnowledgeStore {
  /** Latest version of every key of a kind, tombstones included; sorted by key. */
  latest(kind: KnowledgeKind): Promise<KnowledgeVersion[]>;
  /** Latest version of one key, or undefined if it never existed. */
  get(kind: KnowledgeKind, key: string): Promise<KnowledgeVersion | undefined>;
  /**
   * Saves the next version. Concurrent appends are decided by the unique (kind, key, version)
   * record: the loser rejects with 'conflict'.
   */
  append(input: NewKnowledgeVersion): Promise<KnowledgeVersion>;
  /** Every version of a key, oldest first. */
  history(kind: KnowledgeKind, key: string): Promise<KnowledgeVersion[]>;
}

/** One retrieved entry with its fused relevance score (higher is better, not a probability). */
export interface FaqHit {
  entry: FaqEntry;
  score: number;
}

export interface RetrievalResult {
  /** Best entry, present whenever the index is not empty (even when not confident). */
  best?: FaqHit;
  /** Second best, so callers can offer it or judge ambiguity. */
  runnerUp?: FaqHit;
  /** Calibrated probability that `best` answers the query. */
  confidence: number;
  /** True when confidence clears the no-answer threshold; below it the bot must not guess. */
  answerable: boolean;
  /** The k best entries, best first. */
  hits: FaqHit[];
  /** The query's embedding when an encoder made it, for reuse in the same turn (never stored). */
  vector?: QueryVector;
}

/** An FAQ answer a counselor can send as it is. */
export interface CannedAnswer {
  /** The FAQ entry id. */
  id: string;
  topic: string;
  intent: IntentName;
  /** The entry's first question in the answer's language. */
  title: string;
  text: string;
  /** The language of `text` (the requested one, or the fallback). */
  language: string;
  links: LinkRef[];
}

/** Canned answers for counselors, from the same FAQ the bot answers from. */
export interface CannedAnswerSearch {
  /** Best matches for a query (the first entries when the query is empty), at most `limit`. */
  search(query: string, language: string, limit?: number): CannedAnswer[];
}

export interface KnowledgeRetriever {
  /** @param options.vector the query's embedding from earlier in the turn (skips the encoder when it matches) */
  search(query: string, language: string, k?: number, options?: QueryVectorOption): Promise<RetrievalResult>;
  /** Rebuilds the indexes from the current entries without a restart. */
  reload(): Promise<void>;
}
