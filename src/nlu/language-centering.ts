/**
 * Removes the language-specific offset of multilingual sentence embeddings: each vector is centred
 * by the mean embedding of its language, then re-normalised and scaled. Multilingual encoders put
 * every language in its own region of the space; centring per language lines up the meanings, so
 * a head trained mostly on one language transfers better to another (see the README's numbers).
 */
import { decodeFloats, encodeFloats } from './float-codec';

export interface LanguageVector {
  language: string;
  vector: Float32Array;
}

function mean(vectors: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) out[i]! += v[i]!;
  for (let i = 0; i < dim; i++) out[i]! /= Math.max(1, vectors.length);
  return out;
}

export interface SerializedCentering {
  means: Record<string, string>;
  global: string;
  scale: number;
}

export class LanguageCentering {
  private constructor(
    private readonly means: Map<string, Float32Array>,
    private readonly global: Float32Array,
    readonly scale: number,
  ) {}

  /**
   * Means per language from the training vectors; languages with fewer than `minCount` training
   * vectors take theirs from `reference` (e.g. the project's own intent examples), else the global mean.
   */
  static fit(
    train: LanguageVector[],
    reference: LanguageVector[],
    options: { scale?: number; minCount?: number } = {},
  ): LanguageCentering {
    const minCount = options.minCount ?? 20;
    const dim = train[0]?.vector.length ?? 0;
    const group = (items: LanguageVector[]) => {
      const byLanguage = new Map<string, Float32Array[]>();
      for (const { language, vector } of items) {
        const list = byLanguage.get(language) ?? [];
        list.push(vector);
        byLanguage.set(language, list);
      }
      return byLanguage;
    };
    const means = new Map<string, Float32Array>();
    for (const [language, vectors] of group(reference))
      if (vectors.length >= minCount) means.set(language, mean(vectors, dim));
    // Training data wins over the reference for its own languages.
    for (const [language, vectors] of group(train))
      if (vectors.length >= minCount) means.set(language, mean(vectors, dim));
    return new LanguageCentering(
      means,
      mean(
        train.map((t) => t.vector),
        dim,
      ),
      options.scale ?? 10,
    );
  }

  /** Rebuilds centring saved with toJSON(). */
  static fromJSON(s: SerializedCentering): LanguageCentering {
    return new LanguageCentering(
      new Map(Object.entries(s.means).map(([k, v]) => [k, decodeFloats(v)])),
      decodeFloats(s.global),
      s.scale,
    );
  }

  toJSON(): SerializedCentering {
    return {
      means: Object.fromEntries([...this.means].map(([k, v]) => [k, encodeFloats(v)])),
      global: encodeFloats(this.global),
      scale: this.scale,
    };
  }

  /** Languages with their own mean. */
  languages(): string[] {
    return [...this.means.keys()].sort();
  }

  /** The centred, normalised, scaled vector. */
  apply(vector: Float32Array, language?: string): Float32Array {
    const center = (language && this.means.get(language)) || this.global;
    const out = new Float32Array(vector.length);
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const v = vector[i]! - center[i]!;
      out[i] = v;
      norm += v * v;
    }
    const k = this.scale / (Math.sqrt(norm) || 1);
    for (let i = 0; i < out.length; i++) out[i]! *= k;
    return out;
  }
}
