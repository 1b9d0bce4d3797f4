/**
 * The degraded-mode Embedder: hashed character n-gram TF-IDF vectors. It needs no model files, so
 * retrieval keeps working (lexically) until the transformer encoder is available.
 */
import type { Embedder } from '../core/nlu-port';
import { charNgrams } from '../nlu/char-ngram-vectorizer';
import { normalize } from './vector-math';

/** FNV-1a, 32 bit: a fast, stable hash for feature hashing. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A fitted embedder as plain data. */
export interface LexicalEmbedderState {
  dimension: number;
  idf: Float32Array;
  defaultIdf: number;
}

export class LexicalEmbedder implements Embedder {
  readonly name = 'lexical-hashed-tfidf';
  private idf: Float32Array;
  private defaultIdf = 1;

  /** @param dimension hashed feature space size; collisions stay rare at 2^13 for FAQ-sized corpora. */
  constructor(readonly dimension = 8_192) {
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
      for (const slot of new Set(charNgrams(text).map((g) => fnv1a(g) % this.dimension))) df[slot]! += 1;
    }
    const n = corpus.length;
    this.defaultIdf = Math.log((1 + n) / 1) + 1;
    this.idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
    return this;
  }

  async embed(texts: string[], _kind: 'query' | 'passage'): Promise<Float32Array[]> {
    return texts.map((text) => this.vector(text));
  }

  private vector(text: string): Float32Array {
    const counts = new Map<number, number>();
    for (const g of charNgrams(text)) {
      const slot = fnv1a(g) % this.dimension;
      counts.set(slot, (counts.get(slot) ?? 0) + 1);
    }
    const v = new Float32Array(this.dimension);
    for (const [slot, tf] of counts) v[slot] = (1 + Math.log(tf)) * (this.idf[slot] || this.defaultIdf);
    return normalize(v);
  }
}
