/**
 * Multinomial logistic regression over sparse rows (the n-gram features). Mini-batch Adam with
 * lazy updates: only the weight rows of features present in a batch move, which keeps training on
 * tens of thousands of features and a hundred classes to about a minute. (A second moment shared
 * per row was cheaper but cost 2 points of CLINC150 validation accuracy.)
 */
import { decodeFloats, encodeFloats } from './float-codec';
import type { SparseRow } from './ngram-features';
import { seededRandom, softmaxInPlace } from './softmax-head';

export interface SparseHeadOptions {
  epochs?: number;
  learningRate?: number;
  weightDecay?: number;
  batchSize?: number;
  seed?: number;
  /** Multiplies every input value (a temperature for the normalised rows). */
  scale?: number;
  /** Stops training between epochs (shutdown); train() then rejects. */
  signal?: AbortSignal;
  /** Loss weight of each class (by index); default 1 for all (see cappedClassWeights). */
  classWeights?: ArrayLike<number>;
}

export interface SerializedSparseHead {
  features: number;
  classes: number;
  scale: number;
  w: string;
  b: string;
}

export class SparseSoftmaxHead {
  private constructor(
    readonly features: number,
    readonly classes: number,
    private readonly scale: number,
    /** [features][classes]. */
    private readonly w: Float32Array,
    private readonly b: Float32Array,
  ) {}

  /** Trains on sparse rows with class indices in [0, classes). */
  static async train(
    rows: SparseRow[],
    y: number[],
    features: number,
    classes: number,
    options: SparseHeadOptions = {},
  ): Promise<SparseSoftmaxHead> {
    if (rows.length === 0 || rows.length !== y.length)
      throw new Error('SparseSoftmaxHead.train needs as many labels as rows, at least one');
    const epochs = options.epochs ?? 30;
    const lr = options.learningRate ?? 3e-3;
    const decay = options.weightDecay ?? 1e-3;
    const batchSize = options.batchSize ?? 64;
    const scale = options.scale ?? 10;
    const rand = seededRandom(options.seed ?? 1);
    const w = new Float32Array(features * classes);
    const b = new Float32Array(classes);
    const head = new SparseSoftmaxHead(features, classes, scale, w, b);
    const mw = new Float32Array(w.length);
    const vw = new Float32Array(w.length);
    const mb = new Float32Array(classes);
    const vb = new Float32Array(classes);
    const gw = new Float32Array(w.length);
    const gb = new Float32Array(classes);
    const touched = new Uint8Array(features);
    const p = new Float32Array(classes);
    const order = Array.from(rows.keys());
    let t = 0;

    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < order.length; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        const active: number[] = [];
        gb.fill(0);
        for (const idx of batch) {
          const row = rows[idx]!;
          head.logitsInto(row, p);
          softmaxInPlace(p);
          p[y[idx]!]! -= 1;
          const weight = options.classWeights ? options.classWeights[y[idx]!]! : 1;
          for (let c = 0; c < classes; c++) {
            p[c]! = (weight * p[c]!) / batch.length;
            gb[c]! += p[c]!;
          }
          for (let k = 0; k < row.indices.length; k++) {
            const f = row.indices[k]!;
            const v = row.values[k]! * scale;
            if (!touched[f]) {
              touched[f] = 1;
              active.push(f);
            }
            const base = f * classes;
            for (let c = 0; c < classes; c++) gw[base + c]! += v * p[c]!;
          }
        }
        t += 1;
        const c1 = 1 - 0.9 ** t;
        const c2 = 1 - 0.999 ** t;
        for (const f of active) {
          touched[f] = 0;
          const base = f * classes;
          for (let c = 0; c < classes; c++) {
            const i = base + c;
            const g = gw[i]! + decay * w[i]!;
            gw[i] = 0;
            mw[i] = 0.9 * mw[i]! + 0.1 * g;
            vw[i] = 0.999 * vw[i]! + 0.001 * g * g;
            w[i]! -= (lr * (mw[i]! / c1)) / (Math.sqrt(vw[i]! / c2) + 1e-8);
          }
        }
        for (let c = 0; c < classes; c++) {
          const g = gb[c]!;
          mb[c] = 0.9 * mb[c]! + 0.1 * g;
          vb[c] = 0.999 * vb[c]! + 0.001 * g * g;
          b[c]! -= (lr * (mb[c]! / c1)) / (Math.sqrt(vb[c]! / c2) + 1e-8);
        }
      }
      // Let the event loop breathe between epochs: training runs while the service is serving.
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    return head;
  }

  /** Rebuilds a head saved with toJSON(). */
  static fromJSON(s: SerializedSparseHead): SparseSoftmaxHead {
    return new SparseSoftmaxHead(s.features, s.classes, s.scale, decodeFloats(s.w), decodeFloats(s.b));
  }

  toJSON(): SerializedSparseHead {
    return {
      features: this.features,
      classes: this.classes,
      scale: this.scale,
      w: encodeFloats(this.w),
      b: encodeFloats(this.b),
    };
  }

  /** Raw class scores for one sparse row. */
  logits(row: SparseRow): Float32Array {
    const out = new Float32Array(this.classes);
    this.logitsInto(row, out);
    return out;
  }

  private logitsInto(row: SparseRow, out: Float32Array): void {
    const { classes, w, scale } = this;
    out.set(this.b);
    for (let k = 0; k < row.indices.length; k++) {
      const v = row.values[k]! * scale;
      const base = row.indices[k]! * classes;
      for (let c = 0; c < classes; c++) out[c]! += v * w[base + c]!;
    }
  }
}
