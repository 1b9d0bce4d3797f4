/**
 * Sparse lexical features for the lexical half of the intent model: words, word pairs and character
 * 1-3-grams inside words (so Korean particles and spacing variants still share features), weighted
 * by sublinear TF-IDF and L2-normalised. The vocabulary is what the training texts contain.
 */
import { decodeFloats, encodeFloats } from './float-codec';
import { normalizeText } from './text-normalize';

export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

/** Feature strings of one text (with repeats); character n-grams from `minChar` to 3 letters. */
export function ngramFeatures(text: string, minChar = 1): string[] {
  const words = normalizeText(text).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    out.push(`w:${word}`);
    if (w + 1 < words.length) out.push(`b:${word} ${words[w + 1]}`);
    const chars = [...`<${word}>`];
    for (let n = minChar; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const gram = chars.slice(i, i + n).join('');
        if (gram !== '<' && gram !== '>') out.push(gram);
      }
    }
  }
  return out;
}

export interface SerializedFeaturizer {
  /** Feature strings in index order. */
  vocabulary: string[];
  idf: string;
  minChar?: number;
}

export class NgramFeaturizer {
  private readonly vocabulary = new Map<string, number>();
  private idf: Float32Array = new Float32Array(0);

  /** @param minChar shortest character n-gram (1 keeps single letters, which Korean needs) */
  constructor(readonly minChar = 1) {}

  /** Rebuilds a featurizer saved with toJSON(). */
  static fromJSON(s: SerializedFeaturizer): NgramFeaturizer {
    const f = new NgramFeaturizer(s.minChar ?? 1);
    s.vocabulary.forEach((feature, i) => f.vocabulary.set(feature, i));
    f.idf = decodeFloats(s.idf);
    return f;
  }

  toJSON(): SerializedFeaturizer {
    return { vocabulary: [...this.vocabulary.keys()], idf: encodeFloats(this.idf), minChar: this.minChar };
  }

  /** Number of distinct features learned. */
  get size(): number {
    return this.vocabulary.size;
  }

  /** Learns vocabulary and inverse document frequencies from the training texts. */
  fit(texts: string[]): this {
    const df: number[] = [];
    for (const text of texts) {
      for (const f of new Set(ngramFeatures(text, this.minChar))) {
        let index = this.vocabulary.get(f);
        if (index === undefined) {
          index = this.vocabulary.size;
          this.vocabulary.set(f, index);
          df.push(0);
        }
        df[index]! += 1;
      }
    }
    const n = texts.length;
    this.idf = Float32Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
    return this;
  }

  /**
   * Sparse, L2-normalised vector of a text, and `coverage`: the share of its features seen in
   * training (near 0 for a language or topic the training texts never used).
   */
  transform(text: string): SparseRow & { coverage: number } {
    const features = ngramFeatures(text, this.minChar);
    const counts = new Map<number, number>();
    let known = 0;
    for (const f of features) {
      const index = this.vocabulary.get(f);
      if (index === undefined) continue;
      known++;
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const indices = new Int32Array(counts.size);
    const values = new Float32Array(counts.size);
    let norm = 0;
    let i = 0;
    for (const [index, tf] of counts) {
      const w = (1 + Math.log(tf)) * this.idf[index]!;
      indices[i] = index;
      values[i] = w;
      norm += w * w;
      i++;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < values.length; j++) values[j]! /= norm;
    return { indices, values, coverage: features.length ? known / features.length : 0 };
  }
}
