/**
 * The trained intent model at inference: two logistic-regression heads, one over language-centred
 * sentence embeddings (meaning, across languages) and one over word and character n-grams (exact
 * wording, names, route numbers), mixed log-linearly. The lexical head's weight shrinks with how
 * much of the message's wording the training data has seen, so a Korean message to an
 * English-trained model leans on the embedding alone; such a message (a language the training data
 * lacks) is scored by a more regularised embedding head trained for cross-lingual transfer.
 *
 * Out of scope: a message is rejected when its best in-scope probability plus a weighted cosine
 * similarity to the nearest training example of its likeliest intents falls below a threshold.
 *
 * Training (intent-training.ts) fits the heads; calibration (intent-calibration.ts) chooses the
 * decision rule, temperature and crisis threshold on validation predictions. Both use the scoring
 * functions below, so validation scores exactly as inference does.
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import { decodeFloats, encodeFloats } from './float-codec';
import { LanguageCentering, type SerializedCentering } from './language-centering';
import { NgramFeaturizer, type SerializedFeaturizer } from './ngram-features';
import { SoftmaxHead, softmaxInPlace, type SerializedHead } from './softmax-head';
import { SparseSoftmaxHead, type SerializedSparseHead } from './sparse-softmax-head';
import { maxDot } from './vector-ops';

export interface EmbeddedExample {
  text: string;
  intent: string;
  /** Language code (e.g. from the intent file's key, or detected). */
  language?: string;
  /** Normalised sentence embedding. */
  vector: Float32Array;
}

/** Settings of an embedding head: input length (a temperature) and L2 weight decay. */
export interface EmbeddingHeadSettings {
  scale: number;
  decay: number;
}

export interface ModelTuning {
  source: 'validation' | 'cross-validation' | 'holdout';
  /** Validation predictions the choices were made on. */
  examples: number;
  embeddingHead: EmbeddingHeadSettings;
  lexicalWeight: number;
  /** Calibration temperature of the reported confidences. */
  temperature: number;
  /** Weight of the nearest-example similarity in the in-scope score. */
  neighbourWeight: number;
  /** In-scope score below which the message is out of scope (0 = never, when validation has no out-of-scope examples). */
  threshold: number;
  /** Probability of the crisis intent at or above which the message counts as a crisis. */
  crisisThreshold?: number;
  /** On the validation predictions, at the chosen operating point. */
  inScopeAccuracy: number;
  oosRecall: number;
  /** Expected calibration error of the confidence (15 bins). */
  ece: number;
  trainMs: number;
}

export interface ModelPrediction {
  intent: string;
  confidence: number;
  /** All classes, most likely first, calibrated. */
  ranked: { intent: string; confidence: number }[];
  /** Calibrated probability of the crisis intent (0 when the model has none). */
  crisisProbability: number;
  crisis: boolean;
  /**
   * Cosine similarity (centred embeddings) to the nearest crisis training example minus that to
   * the nearest example of any other intent: above 0 the message sits closer to a crisis message
   * than to anything else said to the bot. A second opinion on the head's probability, which runs
   * high on short everyday messages unlike any training example. Computed only when the verdict
   * may be crisis (a scan of every training example, ~1 ms), undefined otherwise.
   */
  crisisMargin?: number;
}

/** Bump when the saved form or the meaning of a saved model changes. */
export const INTENT_MODEL_FORMAT = 5;

export interface SerializedIntentModel {
  format: number;
  classes: string[];
  tuning: ModelTuning;
  crisisIndex: number;
  transferScale: number;
  centering: SerializedCentering;
  dense: SerializedHead;
  transfer: SerializedHead;
  featurizer: SerializedFeaturizer;
  sparse: SerializedSparseHead;
  neighbours: string;
  /** Row offsets of each class's examples in `neighbours` (classes + 1 entries). */
  neighbourOffsets: number[];
  covered: string[];
}

/** An embedding head and the input length (scale) it was trained at. */
export interface EmbeddingHead {
  head: SoftmaxHead;
  scale: number;
}

export interface Heads {
  centering: LanguageCentering;
  /** One per candidate while tuning; the chosen one in a final model. */
  dense: EmbeddingHead[];
  transfer?: EmbeddingHead;
  featurizer: NgramFeaturizer;
  sparse: SparseSoftmaxHead;
  /** Centred, normalised embeddings of the in-scope training examples, grouped by class. */
  neighbours: Float32Array;
  /** Class c's rows are neighbourOffsets[c] .. neighbourOffsets[c + 1]. */
  neighbourOffsets: Int32Array;
  /** Languages with enough training examples for the main head. */
  covered: Set<string>;
}

/** One message scored by every head, before the decision rule mixes them. */
export interface RawScores {
  /** Log-probabilities of each embedding head candidate. */
  dense: Float32Array[];
  sparse: Float32Array;
  /** Share of the message's n-grams the training data has seen. */
  coverage: number;
  /** Per embedding head candidate: cosine similarity to the nearest training example of its top intents. */
  nearest: number[];
  /** The message embedding, centred by its language. */
  centred: Float32Array;
}

/** Intents whose examples the nearest-neighbour search visits (the likeliest ones). */
const NEIGHBOUR_CLASSES = 3;

function logSoftmax(z: Float32Array): Float32Array {
  const out = Float32Array.from(z);
  softmaxInPlace(out);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(out[i]!, 1e-12));
  return out;
}

export function scaled(v: Float32Array, k: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

/** Class probabilities from one embedding head and the lexical head, at a temperature. */
export function combine(
  raw: RawScores,
  candidate: number,
  lexicalWeight: number,
  temperature: number,
): Float32Array {
  const a = lexicalWeight * raw.coverage;
  const dense = raw.dense[candidate]!;
  const z = new Float32Array(dense.length);
  for (let c = 0; c < z.length; c++) z[c] = ((1 - a) * dense[c]! + a * raw.sparse[c]!) / temperature;
  softmaxInPlace(z);
  return z;
}

/** Best in-scope class and its probability. */
export function inScopeBest(p: Float32Array, oosIndex: number): { index: number; score: number } {
  let index = -1;
  let score = -1;
  for (let c = 0; c < p.length; c++) {
    if (c !== oosIndex && p[c]! > score) {
      score = p[c]!;
      index = c;
    }
  }
  return { index, score };
}

/** Every head's scores for one message (the transfer head replaces the main one for uncovered languages). */
export function rawScores(heads: Heads, text: string, vector: Float32Array, language?: string): RawScores {
  const centred = heads.centering.apply(vector, language);
  // A language the training data lacks goes to the head trained for transfer.
  const transfer =
    heads.transfer && language !== undefined && !heads.covered.has(language) ? heads.transfer : undefined;
  const dense = (transfer ? heads.dense.map(() => transfer) : heads.dense).map((h) =>
    logSoftmax(h.head.logits(scaled(centred, h.scale))),
  );
  const row = heads.featurizer.transform(text);
  return {
    dense,
    sparse: logSoftmax(heads.sparse.logits(row)),
    coverage: row.coverage,
    nearest: dense.map((logp) => nearestAmongTop(heads, centred, logp)),
    centred,
  };
}

/** Nearest example of class `target` minus nearest example of every other class (cosine). */
function nearestMargin(heads: Heads, centred: Float32Array, target: number): number {
  const dim = centred.length;
  const rows = (from: number, to: number) => heads.neighbours.subarray(from * dim, to * dim);
  const offsets = heads.neighbourOffsets;
  const own = offsets[target + 1]! > offsets[target]! ? maxDot(rows(offsets[target]!, offsets[target + 1]!), centred) : -1;
  const before = offsets[target]! > 0 ? maxDot(rows(0, offsets[target]!), centred) : -1;
  const last = offsets[offsets.length - 1]!;
  const after = last > offsets[target + 1]! ? maxDot(rows(offsets[target + 1]!, last), centred) : -1;
  return own - Math.max(before, after);
}

/** Cosine similarity to the nearest training example of the NEIGHBOUR_CLASSES likeliest classes. */
function nearestAmongTop(heads: Heads, centred: Float32Array, logp: Float32Array): number {
  const dim = centred.length;
  const top = Array.from(logp.keys())
    .sort((a, b) => logp[b]! - logp[a]!)
    .slice(0, NEIGHBOUR_CLASSES);
  let best = 0;
  for (const c of top) {
    const from = heads.neighbourOffsets[c]! * dim;
    const to = heads.neighbourOffsets[c + 1]! * dim;
    if (to > from) best = Math.max(best, maxDot(heads.neighbours.subarray(from, to), centred));
  }
  return best;
}

export class IntentModel {
  /** Assembles a model from fitted heads and its tuning (training, or a saved model). */
  constructor(
    readonly classes: string[],
    private readonly heads: Heads,
    readonly tuning: ModelTuning,
    private readonly crisisIndex: number,
  ) {}

  /** Rebuilds a model saved with toJSON(). @throws Error on another format version. */
  static fromJSON(s: SerializedIntentModel): IntentModel {
    if (s.format !== INTENT_MODEL_FORMAT)
      throw new Error(`saved intent model has format ${s.format}, expected ${INTENT_MODEL_FORMAT}`);
    const heads: Heads = {
      centering: LanguageCentering.fromJSON(s.centering),
      dense: [{ head: SoftmaxHead.fromJSON(s.dense), scale: s.tuning.embeddingHead.scale }],
      transfer: { head: SoftmaxHead.fromJSON(s.transfer), scale: s.transferScale },
      featurizer: NgramFeaturizer.fromJSON(s.featurizer),
      sparse: SparseSoftmaxHead.fromJSON(s.sparse),
      neighbours: decodeFloats(s.neighbours),
      neighbourOffsets: Int32Array.from(s.neighbourOffsets),
      covered: new Set(s.covered),
    };
    return new IntentModel(s.classes, heads, s.tuning, s.crisisIndex);
  }

  toJSON(): SerializedIntentModel {
    const { heads } = this;
    return {
      format: INTENT_MODEL_FORMAT,
      classes: this.classes,
      tuning: this.tuning,
      crisisIndex: this.crisisIndex,
      transferScale: heads.transfer!.scale,
      centering: heads.centering.toJSON(),
      dense: heads.dense[0]!.head.toJSON(),
      transfer: heads.transfer!.head.toJSON(),
      featurizer: heads.featurizer.toJSON(),
      sparse: heads.sparse.toJSON(),
      neighbours: encodeFloats(heads.neighbours),
      neighbourOffsets: [...heads.neighbourOffsets],
      covered: [...heads.covered].sort(),
    };
  }

  /** Languages the main head was trained on (others go to the transfer head). */
  coveredLanguages(): string[] {
    return [...this.heads.covered].sort();
  }

  /** Classifies one message from its text, embedding and language. */
  predict(text: string, vector: Float32Array, language?: string): ModelPrediction {
    const raw = rawScores(this.heads, text, vector, language);
    const oosIndex = this.classes.indexOf(OUT_OF_SCOPE);
    const { index, score } = inScopeBest(combine(raw, 0, this.tuning.lexicalWeight, 1), oosIndex);
    const p = combine(raw, 0, this.tuning.lexicalWeight, this.tuning.temperature);
    const ranked = this.classes
      .map((intent, c) => ({ intent, confidence: p[c]! }))
      .sort((a, b) => b.confidence - a.confidence);
    const crisisProbability = this.crisisIndex >= 0 ? p[this.crisisIndex]! : 0;
    const crisis = this.crisisIndex >= 0 && crisisProbability >= (this.tuning.crisisThreshold ?? 0.5);
    // Wanted whenever the verdict may be crisis: over the threshold, or crisis as the best intent.
    const crisisMargin =
      crisis || (this.crisisIndex >= 0 && ranked[0]?.intent === this.classes[this.crisisIndex])
        ? nearestMargin(this.heads, raw.centred, this.crisisIndex)
        : undefined;
    const accepted =
      index >= 0 && score + this.tuning.neighbourWeight * raw.nearest[0]! >= this.tuning.threshold;
    return {
      intent: accepted ? this.classes[index]! : OUT_OF_SCOPE,
      confidence: accepted ? p[index]! : 1 - p[index]!,
      ranked,
      crisisProbability,
      crisis,
      ...(crisisMargin !== undefined && { crisisMargin }),
    };
  }
}
