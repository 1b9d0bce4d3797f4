/**
 * Multinomial logistic regression over dense rows (sentence embeddings), trained with mini-batch
 * Adam and L2 weight decay; deterministic for a given seed. A one-hidden-layer network was measured
 * too (README) and gained too little to pay for its training time in plain TypeScript.
 */
import { decodeFloats, encodeFloats } from './float-codec';
import { axpy, dot } from './vector-ops';

export interface HeadOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 weight decay on weights (not biases). */
  weightDecay?: number;
  batchSize?: number;
  seed?: number;
  /** Stops training between epochs (shutdown); train() then rejects. */
  signal?: AbortSignal;
  /** Loss weight of each class (by index); default 1 for all. See cappedClassWeights. */
  classWeights?: ArrayLike<number>;
}

/**
 * Loss weights that keep any class from counting more than `cap` times the median class: a class
 * with many more examples than the others (crisis_support, after adding phrasings in four languages)
 * otherwise shifts the head's prior towards itself and takes ordinary requests. Classes at or under
 * the cap keep weight 1, so roughly balanced data trains exactly as without weights.
 */
export function cappedClassWeights(y: readonly number[], classes: number, cap = 2): Float32Array {
  const counts = new Array<number>(classes).fill(0);
  for (const c of y) counts[c]!++;
  const present = counts.filter((n) => n > 0).sort((a, b) => a - b);
  const median = present[Math.floor((present.length - 1) / 2)] ?? 0;
  return Float32Array.from(counts, (n) => (n > cap * median ? (cap * median) / n : 1));
}

export interface SerializedHead {
  inputs: number;
  classes: number;
  /** base64 float32 (float-codec). */
  w: string;
  b: string;
}

/** Deterministic PRNG (mulberry32) so training runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place numerically stable softmax over `z[offset .. offset+n)`. */
export function softmaxInPlace(z: Float32Array, offset = 0, n = z.length): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, z[offset + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(z[offset + i]! - max);
    z[offset + i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) z[offset + i]! /= sum;
}

class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  constructor(size: number) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
  step(params: Float32Array, grads: Float32Array, lr: number, decay: number): void {
    this.t += 1;
    const c1 = 1 - 0.9 ** this.t;
    const c2 = 1 - 0.999 ** this.t;
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]! + decay * params[i]!;
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      params[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
    }
  }
}

export class SoftmaxHead {
  private constructor(
    readonly inputs: number,
    readonly classes: number,
    /** [classes][inputs]: each class's weights contiguous, so scoring is a run of dot products. */
    private readonly w: Float32Array,
    private readonly b: Float32Array,
  ) {}

  /**
   * Trains on rows `x` (all of one width) with class indices `y` in [0, classes).
   * @throws Error on empty or inconsistent input.
   */
  static async train(
    x: Float32Array[],
    y: number[],
    classes: number,
    options: HeadOptions = {},
  ): Promise<SoftmaxHead> {
    if (x.length === 0 || x.length !== y.length)
      throw new Error('SoftmaxHead.train needs as many labels as rows, at least one');
    const d = x[0]!.length;
    const epochs = options.epochs ?? 30;
    const lr = options.learningRate ?? 3e-3;
    const decay = options.weightDecay ?? 1e-3;
    const batchSize = options.batchSize ?? 64;
    const rand = seededRandom(options.seed ?? 1);
    const w = new Float32Array(classes * d);
    const b = new Float32Array(classes);
    const head = new SoftmaxHead(d, classes, w, b);
    const gw = new Float32Array(w.length);
    const gb = new Float32Array(classes);
    const optW = new Adam(w.length);
    const optB = new Adam(classes);
    const p = new Float32Array(classes);
    const order = Array.from(x.keys());
    const weights = options.classWeights;

    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < order.length; start += batchSize) {
        const end = Math.min(order.length, start + batchSize);
        const n = end - start;
        gw.fill(0);
        gb.fill(0);
        for (let r = start; r < end; r++) {
          const idx = order[r]!;
          const row = x[idx]!;
          head.logitsInto(row, p);
          softmaxInPlace(p);
          p[y[idx]!]! -= 1;
          const weight = weights ? weights[y[idx]!]! : 1;
          // dL/dW_c = weight_y (p_c - [c = y]) x / n
          for (let c = 0; c < classes; c++) {
            const g = (weight * p[c]!) / n;
            gb[c]! += g;
            axpy(g, row, gw, c * d);
          }
        }
        optW.step(w, gw, lr, decay);
        optB.step(b, gb, lr, 0);
      }
      // Let the event loop breathe between epochs: training runs while the service is serving.
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    return head;
  }

  /** Rebuilds a head saved with toJSON(). */
  static fromJSON(s: SerializedHead): SoftmaxHead {
    return new SoftmaxHead(s.inputs, s.classes, decodeFloats(s.w), decodeFloats(s.b));
  }

  toJSON(): SerializedHead {
    return { inputs: this.inputs, classes: this.classes, w: encodeFloats(this.w), b: encodeFloats(this.b) };
  }

  /** Raw class scores (before softmax) for one input row. */
  logits(row: Float32Array): Float32Array {
    const out = new Float32Array(this.classes);
    this.logitsInto(row, out);
    return out;
  }

  /** Class probabilities for one input row (sum to 1). */
  predict(row: Float32Array): Float32Array {
    const z = this.logits(row);
    softmaxInPlace(z);
    return z;
  }

  private logitsInto(row: Float32Array, out: Float32Array): void {
    const { classes, inputs: d, w, b } = this;
    for (let c = 0; c < classes; c++) out[c] = b[c]! + dot(w, c * d, row);
  }
}
