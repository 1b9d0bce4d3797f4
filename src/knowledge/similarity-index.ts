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
  /** Per feature: the items using it and their weights (parallel arrays, built once). */
  private readonly postings = new Map<number, { items: Uint32Array; values: Float32Array }>();
  private count = 0;

  private constructor(private readonly sparse: boolean) {}

  /** Builds the index; the mode is chosen from how many features the vectors use. */
  static of(vectors: Float32Array[]): SimilarityIndex {
    const sample = vectors.slice(0, 50);
    const dim = sample[0]?.length ?? 1;
    const avgNnz =
      sample.reduce((s, v) => s + v.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0), 0) / (sample.length || 1);
    const index = new SimilarityIndex(avgNnz < dim / 8);
    if (!index.sparse) {
      index.dense.push(...vectors);
      index.count = vectors.length;
      return index;
    }
    const lists = new Map<number, { items: number[]; values: number[] }>();
    vectors.forEach((v, item) => {
      const { idx, val } = toSparse(v);
      for (let j = 0; j < idx.length; j++) {
        let list = lists.get(idx[j]!);
        if (!list) lists.set(idx[j]!, (list = { items: [], values: [] }));
        list.items.push(item);
        list.values.push(val[j]!);
      }
    });
    for (const [feature, list] of lists) {
      index.postings.set(feature, {
        items: Uint32Array.from(list.items),
        values: Float32Array.from(list.values),
      });
    }
    index.count = vectors.length;
    return index;
  }

  get size(): number {
    return this.count;
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
      const { items, values } = list;
      for (let j = 0; j < items.length; j++) out[items[j]!] = out[items[j]!]! + q * values[j]!;
    }
    return out;
  }
}
