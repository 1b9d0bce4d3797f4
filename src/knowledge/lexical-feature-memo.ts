/**
 * Each text's hashed character n-gram counts, remembered between FAQ index builds. Extracting the
 * n-grams is most of what the lexical embedder spends on a text, and an FAQ edit changes a handful
 * of the ~5,400 texts an index embeds (variants, answers, intent examples): with this memo a
 * rebuild extracts only the new ones. The counts do not depend on the corpus (the IDF weights are
 * applied afterwards), so a remembered entry stays exact whatever else changed.
 */
import { charNgrams } from '../nlu/char-ngram-vectorizer';
import { TextMemo } from './text-memo';

/** A text's features: hashed slots, ascending and distinct, and how often each occurs. */
export interface HashedCounts {
  slots: Uint32Array;
  counts: Uint32Array;
}

/** FNV-1a, 32 bit: a fast, stable hash for feature hashing. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The hashed n-gram counts of one text, slots ascending. */
export function hashedCounts(text: string, dimension: number): HashedCounts {
  const counts = new Map<number, number>();
  for (const g of charNgrams(text)) {
    const slot = fnv1a(g) % dimension;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  const slots = Uint32Array.from(counts.keys()).sort();
  return { slots, counts: Uint32Array.from(slots, (s) => counts.get(s)!) };
}

/** Hashed n-gram counts by text, for one feature space size. */
export class LexicalFeatureMemo {
  private readonly memo: TextMemo<HashedCounts>;

  /**
   * @param dimension the hashed feature space the slots are taken modulo
   * @param capacity texts kept (an index reads ~5,400)
   */
  constructor(
    readonly dimension: number,
    capacity = 20_000,
  ) {
    this.memo = new TextMemo((text) => hashedCounts(text, dimension), capacity);
  }

  /** The counts of `text`, from the memo or extracted now. */
  counts(text: string): HashedCounts {
    return this.memo.get(text);
  }

  /** Texts whose n-grams were extracted (not found in the memo). */
  get extracted(): number {
    return this.memo.computed;
  }
}
