/** Character n-gram TF-IDF vectors: robust to Korean spacing, particles and typos without a tokenizer. */
import { normalizeText } from './text-normalize';

export type SparseVector = Map<number, number>;

/** Features: char n-grams (1..3) inside each word with boundary marks, plus whole words. */
export function charNgrams(text: string): string[] {
  const words = normalizeText(text).split(' ').filter(Boolean);
  const grams: string[] = [];
  for (const word of words) {
    grams.push(`w:${word}`);
    const padded = `<${word}>`;
    const chars = [...padded];
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const g = chars.slice(i, i + n).join('');
        if (g !== '<' && g !== '>') grams.push(g);
      }
    }
  }
  return grams;
}

export class CharNgramVectorizer {
  private readonly vocabulary = new Map<string, number>();
  private idf: number[] = [];

  /** Learns the vocabulary and inverse document frequencies from training texts. */
  fit(texts: string[]): this {
    const df: number[] = [];
    for (const text of texts) {
      for (const g of new Set(charNgrams(text))) {
        let index = this.vocabulary.get(g);
        if (index === undefined) {
          index = this.vocabulary.size;
          this.vocabulary.set(g, index);
          df.push(0);
        }
        df[index]! += 1;
      }
    }
    const n = texts.length;
    this.idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
    return this;
  }

  /** L2-normalised sublinear TF-IDF vector; unknown n-grams are ignored. */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const g of charNgrams(text)) {
      const index = this.vocabulary.get(g);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    let norm = 0;
    const vector: SparseVector = new Map();
    for (const [index, tf] of counts) {
      const w = (1 + Math.log(tf)) * this.idf[index]!;
      vector.set(index, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [index, w] of vector) vector.set(index, w / norm);
    return vector;
  }
}
