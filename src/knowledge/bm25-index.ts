/** Okapi BM25 over token arrays; documents are added once, scores are computed per query. */

export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalisation strength. */
  b?: number;
}

/** An index as plain data: each token's postings are docs/counts[offsets[t] .. offsets[t + 1]]. */
export interface Bm25State {
  k1: number;
  b: number;
  lengths: number[];
  tokens: string[];
  offsets: Int32Array;
  docs: Int32Array;
  counts: Float64Array;
}

export class Bm25Index {
  private readonly postings = new Map<string, Map<number, number>>();
  /**
   * An index restored from a state keeps its postings as the state's flat arrays, found through
   * one map from token to slot, instead of a map per token: fewer objects for the main thread's
   * garbage collector to walk (issue 15). Adding a document unpacks it into maps first.
   */
  private flat?: { slots: Map<string, number>; offsets: Int32Array; docs: Int32Array; counts: Float64Array };
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Rebuilds an index saved with toState(); scores are identical (postings keep their order). */
  static fromState(state: Bm25State): Bm25Index {
    const index = new Bm25Index({ k1: state.k1, b: state.b });
    for (const length of state.lengths) {
      index.lengths.push(length);
      index.totalLength += length;
    }
    const slots = new Map<string, number>();
    state.tokens.forEach((token, t) => slots.set(token, t));
    index.flat = { slots, offsets: state.offsets, docs: state.docs, counts: state.counts };
    return index;
  }

  /** Turns flat postings back into maps (before a document is added). */
  private unpack(): void {
    if (!this.flat) return;
    const { slots, offsets, docs, counts } = this.flat;
    this.flat = undefined;
    for (const [token, t] of slots) {
      const posting = new Map<number, number>();
      for (let j = offsets[t]!; j < offsets[t + 1]!; j++) posting.set(docs[j]!, counts[j]!);
      this.postings.set(token, posting);
    }
  }

  toState(): Bm25State {
    if (this.flat) {
      const { slots, offsets, docs, counts } = this.flat;
      return { k1: this.k1, b: this.b, lengths: [...this.lengths], tokens: [...slots.keys()], offsets, docs, counts };
    }
    const tokens = [...this.postings.keys()];
    const offsets = new Int32Array(tokens.length + 1);
    tokens.forEach((token, t) => (offsets[t + 1] = offsets[t]! + this.postings.get(token)!.size));
    const docs = new Int32Array(offsets[tokens.length]!);
    const counts = new Float64Array(docs.length);
    tokens.forEach((token, t) => {
      let j = offsets[t]!;
      for (const [doc, count] of this.postings.get(token)!) {
        docs[j] = doc;
        counts[j++] = count;
      }
    });
    return { k1: this.k1, b: this.b, lengths: [...this.lengths], tokens, offsets, docs, counts };
  }

  /** Adds a document and returns its index. */
  add(tokens: string[]): number {
    this.unpack();
    const doc = this.lengths.length;
    this.lengths.push(tokens.length);
    this.totalLength += tokens.length;
    for (const token of tokens) {
      let posting = this.postings.get(token);
      if (!posting) this.postings.set(token, (posting = new Map()));
      posting.set(doc, (posting.get(doc) ?? 0) + 1);
    }
    return doc;
  }

  /** Inverse document frequency (BM25+ style, never negative). */
  idf(token: string): number {
    const df = this.documentFrequency(token);
    const n = this.lengths.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private documentFrequency(token: string): number {
    if (!this.flat) return this.postings.get(token)?.size ?? 0;
    const t = this.flat.slots.get(token);
    return t === undefined ? 0 : this.flat.offsets[t + 1]! - this.flat.offsets[t]!;
  }

  /**
   * Scores every document sharing a token with the query (each distinct query token counts once).
   * `exclude` removes one document's own tokens from another's counts: the held-out split uses it to
   * score a question variant as if it had never been indexed.
   */
  score(queryTokens: string[], exclude?: { doc: number; tokens: string[] }): Map<number, number> {
    const scores = new Map<number, number>();
    const avg = this.totalLength / (this.lengths.length || 1);
    const removed = new Map<string, number>();
    if (exclude) for (const t of exclude.tokens) removed.set(t, (removed.get(t) ?? 0) + 1);
    for (const token of new Set(queryTokens)) {
      const idf = this.idf(token);
      const visit = (doc: number, rawTf: number) => {
        let tf = rawTf;
        let length = this.lengths[doc]!;
        if (exclude && doc === exclude.doc) {
          tf -= removed.get(token) ?? 0;
          length -= exclude.tokens.length;
          if (tf <= 0) return;
        }
        const norm = this.k1 * (1 - this.b + (this.b * length) / avg);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm));
      };
      if (this.flat) {
        const t = this.flat.slots.get(token);
        if (t === undefined) continue;
        const { offsets, docs, counts } = this.flat;
        for (let j = offsets[t]!; j < offsets[t + 1]!; j++) visit(docs[j]!, counts[j]!);
      } else {
        const posting = this.postings.get(token);
        if (!posting) continue;
        for (const [doc, rawTf] of posting) visit(doc, rawTf);
      }
    }
    return scores;
  }

  /** The score a document made of exactly these tokens would get: an upper reference for normalising. */
  selfScore(queryTokens: string[]): number {
    const avg = this.totalLength / (this.lengths.length || 1);
    const counts = new Map<string, number>();
    for (const t of queryTokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const norm = this.k1 * (1 - this.b + (this.b * queryTokens.length) / avg);
    let s = 0;
    for (const [token, tf] of counts) s += (this.idf(token) * tf * (this.k1 + 1)) / (tf + norm);
    return s;
  }
}
