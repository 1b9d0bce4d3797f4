/**
 * A small learned abuse scorer: logistic regression over the same word and character n-grams as
 * the intent model, pruned to the most telling features so it ships as a few hundred kilobytes of
 * JSON and scores a message synchronously in microseconds. Trained by bench/train-abuse-model.ts.
 */
import fs from 'node:fs';
import { ngramFeatures } from './ngram-features';

export interface SerializedAbuseModel {
  /** Provenance and licence of the training data, for the record. */
  about: string;
  vocabulary: string[];
  idf: number[];
  weights: number[];
  bias: number;
  /** Multiplies the L2-normalised TF-IDF row (as in training). */
  scale: number;
  /** Probability at or above which a message counts as abusive (tuned for precision). */
  threshold: number;
}

export class AbuseNgramModel {
  private readonly index = new Map<string, number>();

  constructor(private readonly m: SerializedAbuseModel) {
    m.vocabulary.forEach((f, i) => this.index.set(f, i));
  }

  static fromFile(file: string): AbuseNgramModel {
    return new AbuseNgramModel(JSON.parse(fs.readFileSync(file, 'utf8')) as SerializedAbuseModel);
  }

  get threshold(): number {
    return this.m.threshold;
  }

  /** Probability that the text (already passed through deobfuscate()) is abusive. */
  score(text: string): number {
    const counts = new Map<number, number>();
    for (const f of ngramFeatures(text)) {
      const i = this.index.get(f);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    let norm = 0;
    let z = 0;
    for (const [i, tf] of counts) {
      const v = (1 + Math.log(tf)) * this.m.idf[i]!;
      norm += v * v;
      z += v * this.m.weights[i]!;
    }
    const logit = this.m.bias + (norm > 0 ? (z / Math.sqrt(norm)) * this.m.scale : 0);
    return 1 / (1 + Math.exp(-logit));
  }

  isAbusive(text: string): boolean {
    return this.score(text) >= this.m.threshold;
  }
}
