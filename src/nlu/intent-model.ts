/**
 * The trained intent model: two logistic-regression heads, one over language-centred sentence
 * embeddings (meaning, across languages) and one over word and character n-grams (exact wording,
 * names, route numbers), mixed log-linearly. The lexical head's weight shrinks with how much of the
 * message's wording the training data has seen, so a Korean message to an English-trained model
 * leans on the embedding alone; such a message (a language the training data lacks) is scored by a
 * more regularised embedding head trained for cross-lingual transfer.
 *
 * Out of scope: a message is rejected when its best in-scope probability plus a weighted cosine
 * similarity to the nearest training example of its likeliest intents falls below a threshold.
 *
 * Everything is chosen on validation predictions only (a given validation set, or out-of-fold
 * predictions of the training data: k-fold for small sets, a stratified hold-out for large ones):
 * the embedding head's regularisation, the lexical weight, the neighbour weight and threshold (best
 * in-scope accuracy at the target out-of-scope recall), the calibration temperature (log-loss) and
 * the crisis threshold. The final heads are then fitted on all training data.
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import { decodeFloats, encodeFloats } from './float-codec';
import { LanguageCentering, type LanguageVector, type SerializedCentering } from './language-centering';
import { NgramFeaturizer, type SerializedFeaturizer, type SparseRow } from './ngram-features';
import { tuneThreshold, type ScoredPrediction, type ThresholdChoice } from './oos-threshold';
import { SoftmaxHead, seededRandom, softmaxInPlace, type SerializedHead } from './softmax-head';
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

export interface IntentModelOptions {
  /**
   * Candidate settings for the embedding head, most regularised first; validation picks one, by the
   * one-standard-error rule (the first within a standard error of the best).
   */
  embeddingHeads?: EmbeddingHeadSettings[];
  /**
   * The head for messages in a language the training data lacks (cross-lingual transfer): more
   * regularised, chosen by training on English intents/ examples and validating on Korean ones.
   */
  transferHead?: EmbeddingHeadSettings;
  /** Training examples a language needs to count as covered (else the transfer head answers it). */
  minLanguageExamples?: number;
  lexicalScale?: number;
  lexicalDecay?: number;
  /** Training epochs (default 30). */
  epochs?: number;
  /** Adam step; default 6e-3 for small sets, 3e-3 above 3,000 examples. */
  learningRate?: number;
  /** Mini-batch size; default 64 for small sets, 256 above 3,000 examples. */
  batchSize?: number;
  /** Candidate weights of the lexical head. */
  lexicalWeights?: number[];
  /** Candidate weights of the nearest-example similarity in the in-scope score. */
  neighbourWeights?: number[];
  /** Out-of-scope recall the threshold must reach on validation (policy); undefined = balanced accuracy. */
  targetOosRecall?: number;
  /** Folds for cross-validation of small training sets. */
  folds?: number;
  /** Above this many examples a single stratified hold-out replaces k-fold. */
  holdoutAbove?: number;
  seed?: number;
  /** Embeddings in other languages, for the centring means of languages the training data lacks. */
  reference?: LanguageVector[];
  /** Intent whose probability also raises the crisis flag (high recall). */
  crisisIntent?: string;
  /**
   * The crisis lexicon the model works alongside: the crisis threshold is set so the model catches
   * every validation crisis message the lexicon misses.
   */
  crisisLexicon?: (text: string) => boolean;
  /** Progress messages (training can take minutes on large benchmarks). */
  onProgress?: (message: string) => void;
  /** Abandons training (shutdown); train() then rejects. */
  signal?: AbortSignal;
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
export const INTENT_MODEL_FORMAT = 4;

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

interface EmbeddingHead {
  head: SoftmaxHead;
  scale: number;
}

interface Heads {
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

interface RawScores {
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

const DEFAULTS = {
  // Most regularised first: a later candidate must beat it by a standard error to be chosen.
  embeddingHeads: [
    { scale: 10, decay: 1e-2 },
    { scale: 20, decay: 1e-3 },
  ],
  transferHead: { scale: 10, decay: 1e-2 },
  minLanguageExamples: 20,
  lexicalScale: 10,
  lexicalDecay: 1e-3,
  lexicalWeights: [0, 0.2, 0.3, 0.4, 0.5, 0.6],
  neighbourWeights: [0, 0.5, 1, 2],
  folds: 5,
  holdoutAbove: 4000,
  seed: 7,
};
type ResolvedOptions = typeof DEFAULTS & IntentModelOptions;

const TEMPERATURES = [
  0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 4,
];

function logSoftmax(z: Float32Array): Float32Array {
  const out = Float32Array.from(z);
  softmaxInPlace(out);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(out[i]!, 1e-12));
  return out;
}

function scaled(v: Float32Array, k: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

/** Class probabilities from one embedding head and the lexical head, at a temperature. */
function combine(
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
function inScopeBest(p: Float32Array, oosIndex: number): { index: number; score: number } {
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

/**
 * Fits every part on `train`: one embedding head per candidate setting, the lexical head, and
 * (final model only: its settings are fixed, not tuned) the transfer head.
 */
async function fitHeads(
  train: EmbeddedExample[],
  classIndex: Map<string, number>,
  o: ResolvedOptions,
  candidates: EmbeddingHeadSettings[],
  withTransfer: boolean,
): Promise<Heads> {
  const y = train.map((e) => classIndex.get(e.intent)!);
  const classes = classIndex.size;
  const epochs = o.epochs ?? 30;
  // Large sets: larger batches (less noisy steps generalised better on CLINC150 validation);
  // small sets: smaller batches and larger steps, or 30 epochs would be too few updates.
  const large = train.length > 3000;
  const learningRate = o.learningRate ?? (large ? 3e-3 : 6e-3);
  const batchSize = o.batchSize ?? (large ? 256 : 64);
  const centering = LanguageCentering.fit(
    train.map((e) => ({ language: e.language ?? 'und', vector: e.vector })),
    o.reference ?? [],
    { scale: 1, minCount: o.minLanguageExamples },
  );
  const centred = train.map((e) => centering.apply(e.vector, e.language));
  const fitDense = async (settings: EmbeddingHeadSettings, seed: number): Promise<EmbeddingHead> => ({
    head: await SoftmaxHead.train(
      centred.map((v) => scaled(v, settings.scale)),
      y,
      classes,
      { epochs, learningRate, weightDecay: settings.decay, batchSize, seed, signal: o.signal },
    ),
    scale: settings.scale,
  });
  const dense: EmbeddingHead[] = [];
  for (const settings of candidates) dense.push(await fitDense(settings, o.seed));
  const transfer = withTransfer ? await fitDense(o.transferHead, o.seed + 2) : undefined;
  const featurizer = new NgramFeaturizer().fit(train.map((e) => e.text));
  const rows: SparseRow[] = train.map((e) => featurizer.transform(e.text));
  const sparse = await SparseSoftmaxHead.train(rows, y, featurizer.size, classes, {
    epochs,
    learningRate,
    weightDecay: o.lexicalDecay,
    batchSize,
    seed: o.seed + 1,
    scale: o.lexicalScale,
    signal: o.signal,
  });
  // In-scope examples grouped by class, so the search can visit only the likeliest classes.
  const dim = centred[0]?.length ?? 0;
  const order = train
    .map((e, i) => i)
    .filter((i) => train[i]!.intent !== OUT_OF_SCOPE)
    .sort((a, b) => y[a]! - y[b]!);
  const neighbours = new Float32Array(order.length * dim);
  const neighbourOffsets = new Int32Array(classes + 1);
  order.forEach((index, row) => {
    neighbours.set(centred[index]!, row * dim);
    neighbourOffsets[y[index]! + 1]! += 1;
  });
  for (let c = 0; c < classes; c++) neighbourOffsets[c + 1]! += neighbourOffsets[c]!;
  const counts = new Map<string, number>();
  for (const e of train) if (e.language) counts.set(e.language, (counts.get(e.language) ?? 0) + 1);
  const covered = new Set([...counts].filter(([, n]) => n >= o.minLanguageExamples).map(([l]) => l));
  return {
    centering,
    dense,
    ...(transfer && { transfer }),
    featurizer,
    sparse,
    neighbours,
    neighbourOffsets,
    covered,
  };
}

function rawScores(heads: Heads, text: string, vector: Float32Array, language?: string): RawScores {
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

/** Assigns every example to one of `k` folds, spreading each intent evenly (deterministic). */
function stratifiedFolds(examples: EmbeddedExample[], k: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const byIntent = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byIntent.get(e.intent) ?? [];
    list.push(i);
    byIntent.set(e.intent, list);
  });
  const fold = new Array<number>(examples.length).fill(0);
  let offset = 0;
  for (const indices of byIntent.values()) {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [indices[i], indices[j]] = [indices[j]!, indices[i]!];
    }
    indices.forEach((index, n) => (fold[index] = (n + offset) % k));
    offset += indices.length;
  }
  return fold;
}

function expectedCalibrationError(confidences: number[], correct: boolean[], bins = 15): number {
  const totals = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  confidences.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    totals[b]! += 1;
    conf[b]! += c;
    acc[b]! += correct[i] ? 1 : 0;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (totals[b]) ece += Math.abs(acc[b]! - conf[b]!) / confidences.length;
  return ece;
}

interface RuleChoice {
  candidate: number;
  lexicalWeight: number;
  neighbourWeight: number;
  choice: ThresholdChoice;
  /** Objective: in-scope accuracy at the target recall, or balanced accuracy, or plain accuracy. */
  objective: number;
}

/**
 * Picks embedding head, lexical weight, neighbour weight and threshold on validation predictions.
 * Among embedding heads the first (most regularised) whose objective is within one standard error
 * of the best wins: small data sets cannot tell close candidates apart, and then simpler is safer.
 */
function chooseRule(
  raws: RawScores[],
  labels: string[],
  labelIndex: number[],
  oosIndex: number,
  o: ResolvedOptions,
  candidates: number,
): RuleChoice {
  const hasOos = labels.some((l) => l === OUT_OF_SCOPE);
  const perCandidate: RuleChoice[] = [];
  for (let candidate = 0; candidate < candidates; candidate++) {
    let best: RuleChoice | undefined;
    for (const lexicalWeight of o.lexicalWeights) {
      // Uncalibrated probabilities: sharpening for calibration would flatten exactly the
      // differences between in-scope and out-of-scope scores that the threshold needs.
      const top = raws.map((raw) => inScopeBest(combine(raw, candidate, lexicalWeight, 1), oosIndex));
      for (const neighbourWeight of hasOos ? o.neighbourWeights : [0]) {
        const scored: ScoredPrediction[] = top.map(({ index, score }, i) => ({
          score: score + neighbourWeight * raws[i]!.nearest[candidate]!,
          outOfScope: labels[i] === OUT_OF_SCOPE,
          correct: index === labelIndex[i],
        }));
        const choice = tuneThreshold(scored, { minOosRecall: o.targetOosRecall });
        const reached = o.targetOosRecall === undefined || choice.oosRecall >= o.targetOosRecall - 1e-9;
        const objective = !hasOos
          ? choice.inScopeAccuracy
          : o.targetOosRecall === undefined
            ? choice.balanced
            : reached
              ? choice.inScopeAccuracy
              : choice.balanced - 1;
        if (!best || objective > best.objective + 1e-9)
          best = { candidate, lexicalWeight, neighbourWeight, choice, objective };
      }
    }
    perCandidate.push(best!);
  }
  const top = Math.max(...perCandidate.map((c) => c.objective));
  const n = Math.max(1, labels.filter((l) => l !== OUT_OF_SCOPE).length);
  const standardError = Math.sqrt((Math.min(1, Math.max(0, top)) * (1 - Math.min(1, Math.max(0, top)))) / n);
  return perCandidate.find((c) => c.objective >= top - standardError)!;
}

export class IntentModel {
  private constructor(
    readonly classes: string[],
    private readonly heads: Heads,
    readonly tuning: ModelTuning,
    private readonly crisisIndex: number,
  ) {}

  /**
   * Trains the heads and tunes the decision rule.
   * @param valid optional validation examples; without them the training data is cross-validated
   * @throws Error when there are fewer than two intents
   */
  static async train(
    train: EmbeddedExample[],
    options: IntentModelOptions = {},
    valid?: EmbeddedExample[],
  ): Promise<IntentModel> {
    const started = performance.now();
    const o: ResolvedOptions = { ...DEFAULTS, ...options };
    const progress = o.onProgress ?? (() => undefined);
    const classes = [...new Set(train.map((e) => e.intent))].sort();
    if (classes.length < 2) throw new Error('an intent model needs examples of at least two intents');
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const oosIndex = classIndex.get(OUT_OF_SCOPE) ?? -1;
    const crisisIndex = o.crisisIntent ? (classIndex.get(o.crisisIntent) ?? -1) : -1;
    const candidates = o.embeddingHeads;

    // 1. Validation predictions (raw head scores) and their true labels.
    const raws: RawScores[] = [];
    const labels: string[] = [];
    const texts: string[] = [];
    let source: ModelTuning['source'];
    if (valid && valid.length > 0) {
      source = 'validation';
      progress(`fitting on ${train.length} examples for validation on ${valid.length}`);
      const heads = await fitHeads(train, classIndex, o, candidates, false);
      for (const e of valid) {
        raws.push(rawScores(heads, e.text, e.vector, e.language));
        labels.push(e.intent);
        texts.push(e.text);
      }
    } else {
      const holdout = train.length > o.holdoutAbove;
      source = holdout ? 'holdout' : 'cross-validation';
      const k = holdout ? 6 : o.folds;
      const folds = stratifiedFolds(train, k, o.seed);
      const rounds = holdout ? [0] : Array.from({ length: k }, (_, i) => i);
      for (const f of rounds) {
        progress(`${source}: fold ${f + 1}/${rounds.length}`);
        const heads = await fitHeads(
          train.filter((_, i) => folds[i] !== f),
          classIndex,
          o,
          candidates,
          false,
        );
        train.forEach((e, i) => {
          if (folds[i] !== f) return;
          raws.push(rawScores(heads, e.text, e.vector, e.language));
          labels.push(e.intent);
          texts.push(e.text);
        });
      }
    }
    const labelIndex = labels.map((l) => classIndex.get(l) ?? -1);

    // 2. Embedding head, lexical weight, out-of-scope rule.
    const rule = chooseRule(raws, labels, labelIndex, oosIndex, o, candidates.length);

    // 3. Calibration temperature: lowest validation log-loss.
    let temperature = 1;
    let bestNll = Infinity;
    for (const t of TEMPERATURES) {
      let nll = 0;
      raws.forEach((raw, i) => {
        const p = combine(raw, rule.candidate, rule.lexicalWeight, t);
        const target = labelIndex[i]!;
        // A label the training data lacks (out of scope without an OOS class): the mass off the best class.
        nll -= Math.log(Math.max(target >= 0 ? p[target]! : 1 - Math.max(...p), 1e-12));
      });
      if (nll < bestNll) [bestNll, temperature] = [nll, t];
    }
    const probabilities = raws.map((raw) => combine(raw, rule.candidate, rule.lexicalWeight, temperature));
    const ece = expectedCalibrationError(
      probabilities.map((p) => Math.max(...p)),
      probabilities.map((p, i) => p.indexOf(Math.max(...p)) === labelIndex[i]),
    );

    // 4. Crisis: low enough that the model catches every validation crisis message the lexicon
    // misses, but never below 0.1 (one odd example must not flag every sad message) nor above 0.5.
    let crisisThreshold: number | undefined;
    if (crisisIndex >= 0) {
      const missed = probabilities
        .filter((_, i) => labelIndex[i] === crisisIndex && !o.crisisLexicon?.(texts[i]!))
        .map((p) => p[crisisIndex]!);
      crisisThreshold = missed.length ? Math.min(0.5, Math.max(0.1, Math.min(...missed) * 0.9)) : 0.5;
    }

    // 5. Final heads on all training data, with the chosen embedding head only.
    progress(`fitting final model on ${train.length} examples`);
    const embeddingHead = candidates[rule.candidate]!;
    const heads = await fitHeads(train, classIndex, o, [embeddingHead], true);
    const tuning: ModelTuning = {
      source,
      examples: raws.length,
      embeddingHead,
      lexicalWeight: rule.lexicalWeight,
      temperature,
      neighbourWeight: rule.neighbourWeight,
      threshold: rule.choice.threshold,
      ...(crisisThreshold !== undefined && { crisisThreshold }),
      inScopeAccuracy: rule.choice.inScopeAccuracy,
      oosRecall: rule.choice.oosRecall,
      ece,
      trainMs: Math.round(performance.now() - started),
    };
    return new IntentModel(classes, heads, tuning, crisisIndex);
  }

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
