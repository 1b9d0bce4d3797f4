/**
 * Cosine similarity of one query against many stored unit vectors. Sparse vectors (the lexical
 * embedder's hashed n-grams) go into an inverted list, so scoring touches only shared features;
 * dense ones (the transformer's) are rows of one matrix, compared with plain dot products.
 */

/** A vector as its non-zero entries: positions ascending, and their values. */
export interface SparseRow {
  idx: Uint32Array;
  val: Float32Array;
}

function toSparse(v: Float32Array): SparseRow {
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

/** A sparse row as a dense vector of `dimension`. */
export function densify({ idx, val }: SparseRow, dimension: number): Float32Array {
  const v = new Float32Array(dimension);
  for (let j = 0; j < idx.length; j++) v[idx[j]!] = val[j]!;
  return v;
}

export class SimilarityIndex {
  /** Dense mode: the vectors as rows of one array (row i at [i * dimension, (i + 1) * dimension)). */
  private matrix?: { rows: Float32Array; dimension: number };
  /**
   * A sparse index keeps its postings as flat arrays, found through one map from feature to slot
   * (built that way, or the state's arrays when restored): tens of thousands of per-feature objects
   * were a large share of what the main thread's garbage collector had to walk on every major
   * collection (issue 15).
   */
  private flat: { slots: Map<number, number>; offsets: Int32Array; items: Uint32Array; values: Float32Array } = {
    slots: new Map(),
    offsets: new Int32Array(1),
    items: new Uint32Array(0),
    values: new Float32Array(0),
  };
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
    index.addPostings(vectors.map(toSparse));
    return index;
  }

  /**
   * The index `of` would build from the same vectors given densely (same mode, same postings in the
   * same order), without materialising them: the lexical embedder's rows use ~60 of 8,192 features.
   * @param dimension length of the dense vectors the rows stand for
   */
  static ofRows(rows: SparseRow[], dimension: number): SimilarityIndex {
    const sample = rows.slice(0, 50);
    const dim = sample.length ? dimension : 1;
    const nonZero = ({ val }: SparseRow) => {
      let n = 0;
      for (let j = 0; j < val.length; j++) if (val[j] !== 0) n++;
      return n;
    };
    const avgNnz = sample.reduce((s, row) => s + nonZero(row), 0) / (sample.length || 1);
    const index = new SimilarityIndex(avgNnz < dim / 8);
    if (!index.sparse) {
      const matrix = new Float32Array(rows.length * dimension);
      rows.forEach((row, i) => matrix.set(densify(row, dimension), i * dimension));
      index.matrix = { rows: matrix, dimension };
      index.count = rows.length;
      return index;
    }
    // Zeros dropped, as toSparse drops them from a dense vector.
    index.addPostings(rows.map((row) => (nonZero(row) === row.val.length ? row : toSparse(densify(row, dimension)))));
    return index;
  }

  /**
   * Fills the postings from sparse rows straight into the flat layout: features numbered in order
   * of first appearance (item by item, each row ascending), each one's items ascending. Two passes
   * (count, then place) instead of a growing list per feature: far less garbage per build.
   */
  private addPostings(rows: SparseRow[]): void {
    // Feature to slot through an array (features are positions below the dimension), not the map.
    let dimension = 0;
    for (const { idx } of rows) if (idx.length) dimension = Math.max(dimension, idx[idx.length - 1]! + 1);
    const slotOf = new Int32Array(dimension).fill(-1);
    const slots = new Map<number, number>();
    const sizes: number[] = [];
    let total = 0;
    for (const { idx } of rows) {
      for (let j = 0; j < idx.length; j++) {
        let f = slotOf[idx[j]!]!;
        if (f < 0) slots.set(idx[j]!, (f = slotOf[idx[j]!] = sizes.push(0) - 1));
        sizes[f]!++;
      }
      total += idx.length;
    }
    const offsets = new Int32Array(sizes.length + 1);
    for (let f = 0; f < sizes.length; f++) offsets[f + 1] = offsets[f]! + sizes[f]!;
    const next = offsets.slice(0, sizes.length);
    const items = new Uint32Array(total);
    const values = new Float32Array(total);
    rows.forEach(({ idx, val }, item) => {
      for (let j = 0; j < idx.length; j++) {
        const at = next[slotOf[idx[j]!]!]!++;
        items[at] = item;
        values[at] = val[j]!;
      }
    });
    this.flat = { slots, offsets, items, values };
    this.count = rows.length;
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
    const { slots, offsets, items, values } = this.flat;
    return { sparse: true, count: this.count, features: Int32Array.from(slots.keys()), offsets, items, values };
  }

  /** Similarity of `query` to every stored vector, by insertion order. */
  scores(query: Float32Array): Float32Array {
    const out = new Float32Array(this.count);
    if (!this.sparse) {
      denseScores(query, this.matrix!.rows, this.matrix!.dimension, this.count, out);
      return out;
    }
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
