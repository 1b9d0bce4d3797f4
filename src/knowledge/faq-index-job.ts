/**
 * The FAQ index job, as it runs in the FAQ index thread: load an index saved for exactly these
 * inputs, or build the hybrid retriever (lexical embedder fitted here, or vectors the encoder
 * computed), tune it on its own data (seconds of CPU) and save it. The result is a snapshot the
 * main thread installs in milliseconds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import type { FaqEntry } from '../core/knowledge-port';
import type { Embedder } from '../core/nlu-port';
import { saveCacheFile } from '../jobs/cache-files';
import {
  HybridRetriever,
  type IntentExample,
  type RetrieverSnapshot,
  type RetrieverTuning,
} from './hybrid-retriever';
import { LEXICAL_DIMENSION, LexicalEmbedder, type LexicalEmbedderState } from './lexical-embedder';
import { LexicalFeatureMemo } from './lexical-feature-memo';
import { tokenize } from './text-tokenizer';
import { TextMemo } from './text-memo';
import { tuneRetriever, type TuningReport } from './retriever-tuning';

/**
 * Version of the recipe (build, tuning, snapshot layout). Bump it whenever a change to them would
 * give a different index for the same data, so saved indexes are rebuilt instead of reused.
 */
export const FAQ_INDEX_FORMAT = 1;

/** A built, tuned index. */
export interface FaqIndex {
  format: number;
  /** Name of the embedder it was built with. */
  embedder: string;
  snapshot: RetrieverSnapshot;
  /** The fitted lexical embedder, when built without the encoder (queries need it too). */
  lexical?: LexicalEmbedderState;
  report?: TuningReport;
}

/** Texts and their vectors (row after row), by prefix kind. */
export interface PrecomputedVectors {
  name: string;
  dimension: number;
  query: { texts: string[]; vectors: Float32Array };
  passage: { texts: string[]; vectors: Float32Array };
}

export type FaqIndexRequest =
  | { type: 'faq-lookup'; file: string }
  | {
      type: 'faq-build';
      /** Where to save it; undefined = not saved. */
      file?: string;
      entries: FaqEntry[];
      examples: IntentExample[];
      /** The encoder's vectors of every text to index; undefined = build on the lexical embedder. */
      vectors?: PrecomputedVectors;
      /**
       * Weights and calibration to use as they are instead of tuning (an edit's quick index: the
       * previous index's tuning still fits an FAQ one entry away, and skipping it saves most of the build).
       */
      tuning?: RetrieverTuning;
    };

export interface FaqIndexResult {
  index?: FaqIndex;
  cached: boolean;
}

/** Key of an index: everything that determines it. */
export function faqIndexKey(
  entries: FaqEntry[],
  examples: IntentExample[],
  encoder?: { name: string; fingerprint: string },
): string {
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        FAQ_INDEX_FORMAT,
        encoder ? [encoder.name, encoder.fingerprint] : 'lexical',
        entries,
        examples.map((e) => [e.text, e.intent]),
      ]),
    )
    .digest('hex')
    .slice(0, 24);
}

/** An embedder answering from vectors computed elsewhere (the encoder, through the main thread). */
class PrecomputedEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  private readonly vectors = {
    query: new Map<string, Float32Array>(),
    passage: new Map<string, Float32Array>(),
  };

  constructor(p: PrecomputedVectors) {
    this.name = p.name;
    this.dimension = p.dimension;
    for (const kind of ['query', 'passage'] as const)
      p[kind].texts.forEach((text, i) =>
        this.vectors[kind].set(text, p[kind].vectors.subarray(i * p.dimension, (i + 1) * p.dimension)),
      );
  }

  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    return texts.map((text) => {
      const vector = this.vectors[kind].get(text);
      if (!vector) throw new Error(`no ${kind} vector was computed for "${text.slice(0, 40)}"`);
      return vector;
    });
  }
}

/**
 * The n-gram counts of every text this thread has embedded lexically (bounded): an edit's rebuild
 * extracts only the edited texts' n-grams, and everything computed from them is exact.
 */
const lexicalFeatures = new LexicalFeatureMemo(LEXICAL_DIMENSION);

/** The BM25 and coverage tokens of every variant and answer this thread has indexed (bounded). */
const tokens = new TextMemo(tokenize);

/** How many texts had their n-grams extracted (not remembered) in this thread so far. */
export function lexicalTextsExtracted(): number {
  return lexicalFeatures.extracted;
}

function load(file: string): FaqIndex | undefined {
  try {
    const index = v8.deserialize(fs.readFileSync(file)) as FaqIndex;
    return index.format === FAQ_INDEX_FORMAT ? index : undefined;
  } catch {
    return undefined; // Missing, torn or from another Node version: build.
  }
}

function save(file: string, index: FaqIndex): void {
  saveCacheFile(file, v8.serialize(index));
}

/**
 * Builds and tunes an index (seconds to a minute of CPU on the project's FAQ, most of it tuning).
 * @param tuning given: used as it is, without tuning
 */
export async function buildFaqIndex(
  entries: FaqEntry[],
  examples: IntentExample[],
  vectors?: PrecomputedVectors,
  tuning?: RetrieverTuning,
): Promise<FaqIndex> {
  // The lexical embedder learns its weights from the corpus, so it is refitted on every build.
  const lexical = vectors
    ? undefined
    : new LexicalEmbedder(LEXICAL_DIMENSION, lexicalFeatures).fit(
        entries.flatMap((e) => Object.values(e.questions).flat()),
      );
  const embedder = vectors ? new PrecomputedEmbedder(vectors) : lexical!;
  const retriever = await HybridRetriever.build(entries, embedder, {
    intentExamples: examples,
    tokenizer: (text) => tokens.get(text),
    ...(tuning && { tuning }),
  });
  const report = entries.length && !tuning ? await tuneRetriever(retriever, examples) : undefined;
  return {
    format: FAQ_INDEX_FORMAT,
    embedder: embedder.name,
    snapshot: retriever.toSnapshot(),
    ...(lexical && { lexical: lexical.toState() }),
    ...(report && { report }),
  };
}

/** Loads a saved index, or builds (and saves) one. */
export async function runFaqIndexJob(request: FaqIndexRequest): Promise<FaqIndexResult> {
  if (request.type === 'faq-lookup') {
    const index = load(request.file);
    return index ? { index, cached: true } : { cached: false };
  }
  const index = await buildFaqIndex(request.entries, request.examples, request.vectors, request.tuning);
  // An untuned (quick) index is never saved: the saved one for these inputs must be the tuned one.
  if (request.file && !request.tuning) save(request.file, index);
  return { index, cached: false };
}
