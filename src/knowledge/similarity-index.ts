/**
 * Cosine similarity of one query against many stored unit vectors. Sparse vectors (the lexical
 * embedder's hashed n-grams) go into an inverted list, so scoring touches only shared features;
 * dense ones (the transformer's) are rows of one matrix, compared with plain dot products.
 */

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

/** An index as plain data (typed arrays), to move between threads and to save. */
export type SimilarityIndexState =
  | { sparse: false; count: number; dimension: number; vectors: Float32Array }
  | {
      sparse: true;
      count: number;
      /** Feature f's postings are items/values[offsets[f] .. offsets[f + 1]] for features[f]. */
      features: Int32Array;
      offsets: Int32Array;
      items: Uint32Array;
      values: Float32Array;
    };

export class SimilarityIndex {
  /** Dense mode: the vectors as rows of one array (row i at [i * dimension, (i + 1) * dimension)). */
  private matrix?: { rows: Float32Array; dimension: number };
  /** Per feature: the items using it and their weights (parallel arrays, built once). */
  private readonly postings = new Map<number, { items: Uint32Array; values: Float32Array }>();
  /**
   * An index restored from a state keeps its postings as the state's flat arrays, found through
   * one map from feature to slot: tens of thousands of per-feature objects were a large share of
   * what the main thread's garbage collector had to walk on every major collection (issue 15).
   */
  private flat?: { slots: Map<number, number>; offsets: Int32Array; items: Uint32Array; values: Float32Array };
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
      const rows = new Float32Array(vectors.length * dim);
      vectors.forEach((v, i) => rows.set(v.subarray(0, dim), i * dim));
      index.matrix = { rows, dimension: dim };
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

  /** Rebuilds an index from toState() without copying its arrays. */
  static fromState(state: SimilarityIndexState): SimilarityIndex {
    const index = new SimilarityIndex(state.sparse);
    index.count = state.count;
    if (!state.sparse) {
      index.matrix = { rows: state.vectors, dimension: state.dimension };
      return index;
    }
    const slots = new Map<number, number>();
    state.features.forEach((feature, f) => slots.set(feature, f));
    index.flat = { slots, offsets: state.offsets, items: state.items, values: state.values };
    return index;
  }

  toState(): SimilarityIndexState {
    if (!this.sparse) {
      const { rows, dimension } = this.matrix!;
      return { sparse: false, count: this.count, dimension: this.count ? dimension : 0, vectors: rows.slice(0, this.count * dimension) };
    }
    if (this.flat) {
      const { slots, offsets, items, values } = this.flat;
      return { sparse: true, count: this.count, features: Int32Array.from(slots.keys()), offsets, items, values };
    }
    const features = Int32Array.from(this.postings.keys());
    const offsets = new Int32Array(features.length + 1);
    let total = 0;
    features.forEach((feature, f) => {
      total += this.postings.get(feature)!.items.length;
      offsets[f + 1] = total;
    });
    const items = new Uint32Array(total);
    const values = new Float32Array(total);
    features.forEach((feature, f) => {
      const list = this.postings.get(feature)!;
      items.set(list.items, offsets[f]);
      values.set(list.values, offsets[f]);
    });
    return { sparse: true, count: this.count, features, offsets, items, values };
  }

  /** Similarity of `query` to every stored vector, by insertion order. */
  scores(query: Float32Array): Float32Array {
    const out = new Float32Array(this.count);
    if (!this.sparse) {
      denseScores(query, this.matrix!.rows, this.matrix!.dimension, this.count, out);
      return out;
    }
    if (this.flat) {
      const { slots, offsets, items, values } = this.flat;
      for (let d = 0; d < query.length; d++) {
        const q = query[d]!;
        if (q === 0) continue;
        const f = slots.get(d);
        if (f === undefined) continue;
        for (let j = offsets[f]!; j < offsets[f + 1]!; j++) out[items[j]!] = out[items[j]!]! + q * values[j]!;
      }
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

/**
 * `out[i]` = dot(query, row i) for the first `count` rows, four rows at a time: one pass over the
 * query feeds four independent sums, where one sum at a time waits on each addition before the
 * next (2-3 times slower on the FAQ's ~2,600 intent examples). Each row's sum still adds the same
 * products in the same order as `dot()` (vector-math.ts), so every score is identical to it.
 */
function denseScores(query: Float32Array, rows: Float32Array, dimension: number, count: number, out: Float32Array): void {
  const n = Math.min(query.length, dimension);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = i * dimension;
    const r1 = r0 + dimension;
    const r2 = r1 + dimension;
    const r3 = r2 + dimension;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const q = query[j]!;
      s0 += q * rows[r0 + j]!;
      s1 += q * rows[r1 + j]!;
      s2 += q * rows[r2 + j]!;
      s3 += q * rows[r3 + j]!;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < count; i++) {
    const r = i * dimension;
    let s = 0;
    for (let j = 0; j < n; j++) s += query[j]! * rows[r + j]!;
    out[i] = s;
  }
}
