/**
 * The degraded-mode Embedder: hashed character n-gram TF-IDF vectors. It needs no model files, so
 * retrieval keeps working (lexically) until the transformer encoder is available.
 */
import type { Embedder } from '../core/nlu-port';
import { hashedCounts, type HashedCounts, type LexicalFeatureMemo } from './lexical-feature-memo';
import { densify, type SparseRow } from './similarity-index';

/** A fitted embedder as plain data. */
export interface LexicalEmbedderState {
  dimension: number;
  idf: Float32Array;
  defaultIdf: number;
}

/** An embedder that can also give its vectors as sparse rows (the FAQ index builds from them). */
export interface SparseEmbedder extends Embedder {
  /** The same vectors as `embed`, value for value, as their non-zero entries (ascending). */
  embedSparse(texts: string[], kind: 'query' | 'passage'): SparseRow[];
}

/** Size of the hashed feature space; collisions stay rare at 2^13 for FAQ-sized corpora. */
export const LEXICAL_DIMENSION = 8_192;

export class LexicalEmbedder implements SparseEmbedder {
  readonly name = 'lexical-hashed-tfidf';
  private idf: Float32Array;
  private defaultIdf = 1;

  /**
   * @param dimension hashed feature space size
   * @param memo remembers each text's n-gram counts across embedders (the FAQ index thread keeps one)
   */
  constructor(
    readonly dimension = LEXICAL_DIMENSION,
    private readonly memo?: LexicalFeatureMemo,
  ) {
    this.idf = new Float32Array(dimension).fill(1);
  }

  static fromState(state: LexicalEmbedderState): LexicalEmbedder {
    const embedder = new LexicalEmbedder(state.dimension);
    embedder.idf = state.idf;
    embedder.defaultIdf = state.defaultIdf;
    return embedder;
  }

  toState(): LexicalEmbedderState {
    return { dimension: this.dimension, idf: Float32Array.from(this.idf), defaultIdf: this.defaultIdf };
  }

  /** Learns inverse document frequencies from a corpus (the indexed passages); unseen features get the rarest weight. */
  fit(corpus: string[]): this {
    const df = new Float32Array(this.dimension);
    for (const text of corpus) {
      for (const slot of this.counts(text).slots) df[slot]! += 1;
    }
    const n = corpus.length;
    this.defaultIdf = Math.log((1 + n) / 1) + 1;
    this.idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
    return this;
  }

  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    return this.embedSparse(texts, kind).map((row) => densify(row, this.dimension));
  }

  embedSparse(texts: string[], _kind: 'query' | 'passage'): SparseRow[] {
    return texts.map((text) => this.row(text));
  }

  private counts(text: string): HashedCounts {
    return this.memo?.dimension === this.dimension
      ? this.memo.counts(text)
      : hashedCounts(text, this.dimension);
  }

  /**
   * The unit TF-IDF vector's non-zero entries. Weights are rounded to float32 and the norm summed
   * in ascending slot order, exactly as over the dense vector (its zeros add nothing).
   */
  private row(text: string): SparseRow {
    const { slots, counts } = this.counts(text);
    const val = new Float32Array(slots.length);
    let norm = 0;
    for (let j = 0; j < slots.length; j++) {
      val[j] = (1 + Math.log(counts[j]!)) * (this.idf[slots[j]!] || this.defaultIdf);
      norm += val[j]! * val[j]!;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < val.length; j++) val[j] = val[j]! / norm;
    return { idx: slots, val };
  }
}
