/**
 * Lexical intent classifier: character n-gram TF-IDF with a k-nearest-examples vote.
 * It needs no model files, so it is the degraded mode whenever the transformer cannot load.
 */
import type { Classification, IntentClassifier } from '../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE } from '../core/nlu-port';
import { CharNgramVectorizer, type SparseVector, type VectorizerState } from './char-ngram-vectorizer';
import type { LabeledExample } from './intent-data';

export interface LexicalClassifierOptions {
  /** Examples per intent whose similarities are averaged. */
  k?: number;
  /** Below this similarity the message is out of scope. */
  minSimilarity?: number;
  /** Softmax sharpness turning similarities into confidences. */
  temperature?: number;
  /**
   * Least confidence for a crisis verdict. Crisis examples said inside requests share request
   * wording ("문의드려요"), so a near tie with crisis first is no crisis. 0.2 chosen on
   * test/fixtures/nlu/crisis-dev.jsonl (then named crisis-blind.jsonl): crisis recall 1.0 -> 0.989 (lexicon
   * included), false alarms 16.7 % -> 6.7 %.
   */
  crisisMinConfidence?: number;
}

/**
 * A fitted classifier as plain data (typed arrays): fitted in the training thread, installed on the
 * main one. Example vectors are laid out row after row (`offsets` has one entry more than rows).
 */
export interface LexicalClassifierState {
  options: Required<LexicalClassifierOptions>;
  vectorizer: VectorizerState;
  intents: string[];
  offsets: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * The example rows inverted, per feature: the rows holding it, ascending, and their weights
 * (feature f's are rows/values[starts[f] .. starts[f + 1]]). A message is scored against the
 * examples sharing one of its features instead of every example (~2,600; most of a lexical turn's
 * time before). Three flat arrays as long as the rows' (about 2 MB), no object per feature.
 */
interface Postings {
  starts: Int32Array;
  rows: Int32Array;
  values: Float64Array;
}

/** Inverts flat example rows by a counting sort on the feature index. */
function buildPostings(
  rows: { offsets: Int32Array; indices: Int32Array; values: Float64Array },
  features: number,
): Postings {
  const { offsets, indices, values } = rows;
  const starts = new Int32Array(features + 1);
  for (let j = 0; j < indices.length; j++) starts[indices[j]! + 1]!++;
  for (let f = 0; f < features; f++) starts[f + 1] = starts[f + 1]! + starts[f]!;
  const next = starts.slice(0, features);
  const out = { starts, rows: new Int32Array(indices.length), values: new Float64Array(indices.length) };
  for (let r = 0; r + 1 < offsets.length; r++) {
    for (let j = offsets[r]!; j < offsets[r + 1]!; j++) {
      const at = next[indices[j]!]!++;
      out.rows[at] = r;
      out.values[at] = values[j]!;
    }
  }
  return out;
}

/** Intent names in order of first appearance and each example row's index into them. */
function indexIntents(intents: string[]): { names: string[]; ofRow: Int32Array } {
  const names: string[] = [];
  const byName = new Map<string, number>();
  const ofRow = Int32Array.from(intents, (intent) => {
    let n = byName.get(intent);
    if (n === undefined) byName.set(intent, (n = names.push(intent) - 1));
    return n;
  });
  return { names, ofRow };
}

/**
 * Bound on how far two summation orders of one similarity can differ (see scores()); the true bound
 * is under 1e-12 for any example here, so this leaves a wide margin and costs only a few more re-sums.
 */
const REORDER_MARGIN = 1e-9;

export class LexicalClassifier implements IntentClassifier {
  readonly name = 'lexical-tfidf';
  private readonly vectorizer: CharNgramVectorizer;
  /**
   * The examples' vectors row after row, as in the state: row r's features and weights are
   * indices/values[offsets[r] .. offsets[r + 1]], in the order transform() made them. Flat arrays,
   * not a map per example: installing a fitted classifier on the main thread built 170,000 map
   * entries (11 MB of small heap objects) in one turn, and every later major garbage collection had
   * to mark them (issue 15).
   */
  private readonly rows: { intents: string[]; offsets: Int32Array; indices: Int32Array; values: Float64Array };
  /** Scratch: each feature's position in the query being scored, -1 when absent (scores() is synchronous). */
  private position?: Int32Array;
  /** The rows inverted (see Postings); built from them at the first message, not part of the state. */
  private postings?: Postings;
  /** Intent names in order of first appearance (the order ties keep) and each row's index into them. */
  private intentIndex?: { names: string[]; ofRow: Int32Array };
  private readonly k: number;
  private readonly minSimilarity: number;
  private readonly temperature: number;
  private readonly crisisMinConfidence: number;

  /** Fits on the examples, or installs a classifier fitted elsewhere (a state from toState()). */
  constructor(examples: LabeledExample[] | LexicalClassifierState, options: LexicalClassifierOptions = {}) {
    const state = Array.isArray(examples) ? undefined : (examples as LexicalClassifierState);
    if (state) options = state.options;
    else if ((examples as LabeledExample[]).length === 0)
      throw new Error('LexicalClassifier needs training examples');
    // Defaults chosen by 5-fold cross-validation on intents/ examples (never on held-out data).
    this.k = options.k ?? 4;
    this.minSimilarity = options.minSimilarity ?? 0.12;
    this.temperature = options.temperature ?? 12;
    this.crisisMinConfidence = options.crisisMinConfidence ?? 0.2;
    if (state) {
      this.vectorizer = CharNgramVectorizer.fromState(state.vectorizer);
      this.rows = { intents: state.intents, offsets: state.offsets, indices: state.indices, values: state.values };
      return;
    }
    const fitted = examples as LabeledExample[];
    this.vectorizer = new CharNgramVectorizer().fit(fitted.map((e) => e.text));
    const vectors = fitted.map((e) => this.vectorizer.transform(e.text));
    const offsets = new Int32Array(vectors.length + 1);
    vectors.forEach((vector, row) => (offsets[row + 1] = offsets[row]! + vector.size));
    const indices = new Int32Array(offsets[vectors.length]!);
    const values = new Float64Array(indices.length);
    vectors.forEach((vector, row) => {
      let j = offsets[row]!;
      // Insertion order is kept: scores() sums in it.
      for (const [index, value] of vector) {
        indices[j] = index;
        values[j++] = value;
      }
    });
    this.rows = { intents: fitted.map((e) => e.intent), offsets, indices, values };
  }

  /** The fitted classifier as plain data, to move between threads. */
  toState(): LexicalClassifierState {
    const { intents, offsets, indices, values } = this.rows;
    return {
      options: {
        k: this.k,
        minSimilarity: this.minSimilarity,
        temperature: this.temperature,
        crisisMinConfidence: this.crisisMinConfidence,
      },
      vectorizer: this.vectorizer.toState(),
      intents: [...intents],
      offsets,
      indices,
      values,
    };
  }

  /**
   * Cosine similarity of the query to every example (unit vectors: the dot product), summed in
   * the query's order. Only the examples sharing a feature with the query are visited (through
   * the postings); the others stay 0, as their dot product is. For an example sparser than the
   * query, the map-based cosine() of the vectorizer sums in the example's order instead, which can
   * differ in the last bits: those rows are listed in `reorder` (see exactSimilarity).
   */
  private similarities(query: SparseVector): { out: Float64Array; reorder: number[] } {
    const { offsets } = this.rows;
    const rows = offsets.length - 1;
    const out = new Float64Array(rows);
    const reorder: number[] = [];
    const size = query.size;
    if (size === 0) return { out, reorder };
    const postings = (this.postings ??= buildPostings(this.rows, this.vectorizer.size));
    // Features each example shares with the query, counted up to 3.
    const shared = new Uint8Array(rows);
    for (const [index, w] of query) {
      for (let j = postings.starts[index]!, end = postings.starts[index + 1]!; j < end; j++) {
        const r = postings.rows[j]!;
        out[r] = out[r]! + w * postings.values[j]!;
        if (shared[r]! < 3) shared[r]!++;
      }
    }
    // A sum of one or two terms is the same in either order (floating-point addition commutes;
    // only regrouping three or more terms can change the last bits).
    for (let r = 0; r < rows; r++) if (shared[r] === 3 && offsets[r + 1]! - offsets[r]! < size) reorder.push(r);
    return { out, reorder };
  }

  /** Row r's similarity summed in the row's own order, as cosine() does when the row is the sparser. */
  private exactSimilarity(r: number, position: Int32Array, weights: Float64Array): number {
    const { offsets, indices, values } = this.rows;
    let dot = 0;
    for (let j = offsets[r]!, to = offsets[r + 1]!; j < to; j++) {
      const q = position[indices[j]!]!;
      if (q >= 0) dot += values[j]! * weights[q]!;
    }
    return dot;
  }

  /**
   * The k best similarities of each intent, best first, kept in place (per-intent arrays with a
   * sort each cost more than the scoring). An equal value goes after the ones already held, as a
   * stable sort would leave it.
   */
  private bestPerIntent(similarities: Float64Array, ofRow: Int32Array, intents: number): { best: Float64Array; held: Uint32Array } {
    const k = this.k;
    const best = new Float64Array(intents * k);
    const held = new Uint32Array(intents);
    for (let r = 0; r < similarities.length; r++) {
      const intent = ofRow[r]!;
      const base = intent * k;
      const count = held[intent]!;
      const sim = similarities[r]!;
      let slot = Math.min(count, k);
      while (slot > 0 && best[base + slot - 1]! < sim) {
        if (slot < k) best[base + slot] = best[base + slot - 1]!;
        slot--;
      }
      if (slot < k) best[base + slot] = sim;
      if (count < k) held[intent] = count + 1;
    }
    return { best, held };
  }

  /**
   * Mean of the k best example similarities per intent, best intent first: the very figures of a
   * cosine() against every example, to the last bit (test/nlu/lexical-scores-equivalence.test.ts).
   *
   * Only rows that can be among their intent's k best are summed again in their own order. Two
   * orders of a sum of n non-negative terms (all weights are) differ by at most 2(n-1)u times the
   * sum (u = 2^-53), far below REORDER_MARGIN for similarities of at most 1. A row whose
   * query-order value is more than twice that margin below its intent's k-th best query-order value
   * is below the k-th best exact value too, so it cannot be kept, nor tie with a kept one.
   */
  scores(text: string): { intent: string; score: number }[] {
    const query = this.vectorizer.transform(text);
    const { out: similarities, reorder } = this.similarities(query);
    const { names, ofRow } = (this.intentIndex ??= indexIntents(this.rows.intents));
    const k = this.k;
    let { best, held } = this.bestPerIntent(similarities, ofRow, names.length);
    if (reorder.length > 0) {
      const position = (this.position ??= new Int32Array(this.vectorizer.size).fill(-1));
      const weights = new Float64Array(query.size);
      let p = 0;
      for (const [index, w] of query) {
        position[index] = p;
        weights[p++] = w;
      }
      let changed = false;
      try {
        for (const r of reorder) {
          const intent = ofRow[r]!;
          const kth = held[intent]! < k ? -Infinity : best[intent * k + k - 1]!;
          if (similarities[r]! < kth - 2 * REORDER_MARGIN) continue;
          const exact = this.exactSimilarity(r, position, weights);
          if (exact !== similarities[r]) {
            similarities[r] = exact;
            changed = true;
          }
        }
      } finally {
        for (const index of query.keys()) position[index] = -1;
      }
      if (changed) ({ best, held } = this.bestPerIntent(similarities, ofRow, names.length));
    }
    const scored = names.map((intent, i) => {
      let sum = 0;
      for (let j = 0; j < held[i]!; j++) sum += best[i * k + j]!;
      return { intent, score: sum / held[i]! };
    });
    return scored.sort((a, b) => b.score - a.score);
  }

  async classify(text: string): Promise<Classification> {
    const scored = this.scores(text);
    const max = scored[0]?.score ?? 0;
    const exps = scored.map((s) => Math.exp((s.score - max) * this.temperature));
    const sum = exps.reduce((a, b) => a + b, 0) || 1;
    const top = scored.map((s, i) => ({ intent: s.intent, confidence: exps[i]! / sum }));
    // A crisis verdict needs a clear lead; a near tie goes to the runner-up.
    const best =
      top[0]?.intent === CRISIS_INTENT && top[0].confidence < this.crisisMinConfidence ? top[1] : top[0];
    const inScope = best && best.intent !== OUT_OF_SCOPE && max >= this.minSimilarity;
    return {
      intent: inScope ? best.intent : OUT_OF_SCOPE,
      confidence: inScope
        ? best.confidence
        : Math.max(best?.intent === OUT_OF_SCOPE ? best.confidence : 0, 1 - (best?.confidence ?? 0)),
      top: top.slice(0, 5),
      model: this.name,
    };
  }
}
