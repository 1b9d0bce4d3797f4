/**
 * The learned crisis head: a class-weighted logistic regression over a message's query embedding
 * (the vector the intent classification already made: no extra encoder pass), the message's lexical
 * features (lexicon tiers, disclaimer, everyday-phrase share) and three nearest-neighbour features
 * (highest cosine to a crisis training line, to any other training line, and their difference). It
 * replaces the hand-written context rules of the transformer mode's crisis decision
 * (docs/crisis-decision.md, "Round 7"). Hand-written because it is small (standardise, full-batch
 * Adam, L2) and runs in the NLU training thread on typed arrays.
 */
import { decodeFloats, encodeFloats } from './float-codec';

/** The training lines' embeddings the neighbour features are read against. */
export interface NeighbourMemory {
  dimension: number;
  /** Row after row, L2-normalised. */
  vectors: Float32Array;
  /** 1 = the row is a crisis line. */
  crisis: Uint8Array;
}

/** The neighbour features of an embedding: [best cosine to a crisis row, to another row, difference]. */
export function neighbourFeaturesOf(memory: NeighbourMemory, vector: ArrayLike<number>): number[] {
  const { dimension: d, vectors, crisis } = memory;
  let bestCrisis = -1;
  let bestOther = -1;
  for (let r = 0; r < crisis.length; r++) {
    let dot = 0;
    const off = r * d;
    for (let j = 0; j < d; j++) dot += vectors[off + j]! * vector[j]!;
    if (crisis[r]) bestCrisis = Math.max(bestCrisis, dot);
    else bestOther = Math.max(bestOther, dot);
  }
  return [bestCrisis, bestOther, bestCrisis - bestOther];
}

/** Number of neighbour features at the end of the head's input. */
export const NEIGHBOUR_FEATURES = 3;

/** A trained head, as plain data (JSON, or moved between threads). */
export interface SerializedCrisisHead {
  format: typeof CRISIS_HEAD_FORMAT;
  /** Per-dimension mean and scale of the training vectors (standardisation). */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** Least probability of a crisis verdict (chosen by leave-one-set-out cross-validation). */
  threshold: number;
  /** True when the input holds the lexical features after the embedding (contextual-crisis-judge.ts HEAD_SCALARS). */
  lexical: boolean;
  /** The neighbour memory: embeddings (float-codec) and their crisis flags. */
  memory: { dimension: number; vectors: string; crisis: number[] };
}

/** Recipe version: part of the cache key, so a changed recipe never loads an old head. */
export const CRISIS_HEAD_FORMAT = 'crisis-head-1';

export interface CrisisHeadFitOptions {
  /** Read the lexical features after the embedding (HEAD_SCALARS). */
  lexical?: boolean;
  /** L2 penalty on the weights (standardised features). */
  l2?: number;
  epochs?: number;
  learningRate?: number;
}

/** Training rows: `vectors` row after row (`dimension` each), `labels` 1 = crisis. */
export interface CrisisHeadRows {
  dimension: number;
  vectors: Float32Array;
  labels: Uint8Array;
}

const DEFAULTS: Required<Omit<CrisisHeadFitOptions, 'lexical'>> = { l2: 0.02, epochs: 300, learningRate: 0.05 };

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export class CrisisHead {
  private constructor(
    private readonly mean: Float64Array,
    private readonly scale: Float64Array,
    private readonly weights: Float64Array,
    private readonly bias: number,
    readonly threshold: number,
    /** True when the input holds the lexical features after the embedding. */
    readonly lexical: boolean,
    private readonly memory?: NeighbourMemory,
  ) {}

  /** Width of the input row (embedding, lexical features, neighbour features). */
  get width(): number {
    return this.weights.length;
  }

  /** Size of the query embedding the head reads (0 before the memory is attached). */
  get dimension(): number {
    return this.memory?.dimension ?? 0;
  }

  /** Probability of a crisis for a full input row (embedding, lexical features, neighbour features). */
  rowProbability(row: ArrayLike<number>): number {
    if (row.length !== this.weights.length) throw new Error(`crisis head: row of ${row.length}, expected ${this.weights.length}`);
    let z = this.bias;
    for (let j = 0; j < row.length; j++) z += this.weights[j]! * ((row[j]! - this.mean[j]!) / this.scale[j]!);
    return sigmoid(z);
  }

  /**
   * Probability that the message of this query embedding (and lexical features, when the head reads
   * them) is a crisis; the neighbour features are read against the memory.
   * @throws Error without a memory, or on an embedding of another size
   */
  probability(vector: ArrayLike<number>, scalars: number[] = []): number {
    if (!this.memory || vector.length !== this.memory.dimension) throw new Error('crisis head: no memory for this embedding');
    const row = new Float64Array(this.weights.length);
    row.set(vector);
    row.set(scalars, vector.length);
    row.set(neighbourFeaturesOf(this.memory, vector), vector.length + scalars.length);
    return this.rowProbability(row);
  }

  /** The same head with another threshold and, when given, a neighbour memory. */
  with(threshold: number, memory = this.memory): CrisisHead {
    return new CrisisHead(this.mean, this.scale, this.weights, this.bias, threshold, this.lexical, memory);
  }

  toJSON(): SerializedCrisisHead {
    if (!this.memory) throw new Error('crisis head: a head without memory is not saved');
    return {
      format: CRISIS_HEAD_FORMAT,
      mean: [...this.mean],
      scale: [...this.scale],
      weights: [...this.weights],
      bias: this.bias,
      threshold: this.threshold,
      lexical: this.lexical,
      memory: { dimension: this.memory.dimension, vectors: encodeFloats(this.memory.vectors), crisis: [...this.memory.crisis] },
    };
  }

  /** @throws Error on another format or inconsistent sizes */
  static fromJSON(s: SerializedCrisisHead): CrisisHead {
    if (s.format !== CRISIS_HEAD_FORMAT) throw new Error(`crisis head: unknown format ${String(s.format)}`);
    if (s.mean.length !== s.weights.length || s.scale.length !== s.weights.length) throw new Error('crisis head: sizes differ');
    const memory = { dimension: s.memory.dimension, vectors: decodeFloats(s.memory.vectors), crisis: Uint8Array.from(s.memory.crisis) };
    if (memory.vectors.length !== memory.dimension * memory.crisis.length) throw new Error('crisis head: memory sizes differ');
    return new CrisisHead(Float64Array.from(s.mean), Float64Array.from(s.scale), Float64Array.from(s.weights), s.bias, s.threshold, s.lexical === true, memory);
  }

  /**
   * Fits the head: each class weighs half of the loss whatever its size (crisis lines are the
   * minority), full-batch Adam on the standardised rows with an L2 penalty. The head has no
   * neighbour memory yet (`with`): the rows carry their neighbour features already.
   * @throws Error without rows of both classes
   */
  static fit(rows: CrisisHeadRows, threshold = 0.5, options: CrisisHeadFitOptions = {}): CrisisHead {
    const { l2, epochs, learningRate } = { ...DEFAULTS, ...options };
    const { dimension: d, vectors, labels } = rows;
    const n = labels.length;
    const positives = labels.reduce((s, l) => s + l, 0);
    if (positives === 0 || positives === n) throw new Error('crisis head: needs crisis and other rows');
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += vectors[i * d + j]! / n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) scale[j]! += (vectors[i * d + j]! - mean[j]!) ** 2 / n;
    for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (vectors[i * d + j]! - mean[j]!) / scale[j]!;
    const rowWeight = [0.5 / (n - positives), 0.5 / positives];

    const w = new Float64Array(d + 1); // last: bias
    const m = new Float64Array(d + 1);
    const v = new Float64Array(d + 1);
    const grad = new Float64Array(d + 1);
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        let z = w[d]!;
        const off = i * d;
        for (let j = 0; j < d; j++) z += w[j]! * x[off + j]!;
        const g = (sigmoid(z) - labels[i]!) * rowWeight[labels[i]!]!;
        for (let j = 0; j < d; j++) grad[j]! += g * x[off + j]!;
        grad[d]! += g;
      }
      for (let j = 0; j < d; j++) grad[j]! += l2 * w[j]!;
      for (let j = 0; j <= d; j++) {
        m[j] = b1 * m[j]! + (1 - b1) * grad[j]!;
        v[j] = b2 * v[j]! + (1 - b2) * grad[j]! ** 2;
        w[j]! -= (learningRate * (m[j]! / (1 - b1 ** epoch))) / (Math.sqrt(v[j]! / (1 - b2 ** epoch)) + eps);
      }
    }
    return new CrisisHead(mean, scale, w.slice(0, d), w[d]!, threshold, options.lexical === true);
  }
}

/**
 * The highest threshold whose verdicts keep `recall` of the crisis rows, where a row already
 * caught otherwise (`caught`, e.g. an explicit lexicon hit) needs no probability at all.
 * @throws Error without crisis rows
 */
export function thresholdForRecall(probabilities: ArrayLike<number>, labels: ArrayLike<number>, recall: number, caught?: ArrayLike<boolean>): number {
  const crisis: number[] = [];
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    total++;
    if (!caught?.[i]) crisis.push(probabilities[i]!);
  }
  if (total === 0) throw new Error('crisis head: no crisis rows to set a threshold on');
  crisis.sort((a, b) => b - a);
  // Rows the head must catch itself: all but the misses that recall allows.
  const allowedMisses = Math.floor(total * (1 - recall) + 1e-9);
  const needed = crisis.length - allowedMisses;
  if (needed <= 0) return 1;
  return crisis[needed - 1]!;
}
