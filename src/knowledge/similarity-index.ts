/**
 * Cosine similarity of one query against many stored unit vectors. Sparse vectors (the lexical
 * embedder's hashed n-grams) go into an inverted list, so scoring touches only shared features;
 * dense ones (the transformer's) are compared with plain dot products.
 */
import { dot } from './vector-math';

interface Sparse {
  idx: Uint32Array;
  val: Float32Array;
}

function toSparse(v: Float32Array): Sparse {
  let nnz = 0;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) nnz++;
  const idx = new Uint32Array(nnz);
  const val = new Float32Array(nnz);
  let j = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 0) {
      idx[j] = i;
      val[j++] = v[i]!;
    }
  }
  return { idx, val };
}

export class SimilarityIndex {
  private readonly dense: Float32Array[] = [];
  private readonly postings = new Map<number, { item: number; value: number }[]>();
  private count = 0;

  private constructor(private readonly sparse: boolean) {}

  /** Builds the index; the mode is chosen from how many features the vectors use. */
  static of(vectors: Float32Array[]): SimilarityIndex {
    const sample = vectors.slice(0, 50);
    const dim = sample[0]?.length ?? 1;
    const avgNnz = sample.reduce((s, v) => s + v.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0), 0) / (sample.length || 1);
    const index = new SimilarityIndex(avgNnz < dim / 8);
    for (const v of vectors) index.add(v);
    return index;
  }

  get size(): number {
    return this.count;
  }

  private add(v: Float32Array): void {
    const item = this.count++;
    if (!this.sparse) {
      this.dense.push(v);
      return;
    }
    const { idx, val } = toSparse(v);
    for (let j = 0; j < idx.length; j++) {
      let list = this.postings.get(idx[j]!);
      if (!list) this.postings.set(idx[j]!, (list = []));
      list.push({ item, value: val[j]! });
    }
  }

  /** Similarity of `query` to every stored vector, by insertion order. */
  scores(query: Float32Array): Float32Array {
    const out = new Float32Array(this.count);
    if (!this.sparse) {
      for (let i = 0; i < this.count; i++) out[i] = dot(query, this.dense[i]!);
      return out;
    }
    for (let d = 0; d < query.length; d++) {
      const q = query[d]!;
      if (q === 0) continue;
      const list = this.postings.get(d);
      if (!list) continue;
      for (const { item, value } of list) out[item] = out[item]! + q * value;
    }
    return out;
  }
}
