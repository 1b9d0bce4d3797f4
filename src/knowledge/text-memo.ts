/**
 * A bounded memo of something computed from a text alone (n-gram counts, tokens), kept between FAQ
 * index builds in the index thread: an edit changes a handful of the ~5,400 texts a build reads.
 * Values must be treated as read-only by every user (they are shared between builds).
 */
import { LRUCache } from 'lru-cache';

export class TextMemo<V extends NonNullable<unknown>> {
  private readonly byText: LRUCache<string, V>;
  /** Texts computed (not found in the memo) since creation, for tests and benchmarks. */
  computed = 0;

  /**
   * @param compute the value of one text (deterministic)
   * @param capacity texts kept; the least recently used go first
   */
  constructor(
    private readonly compute: (text: string) => V,
    capacity = 20_000,
  ) {
    this.byText = new LRUCache({ max: capacity });
  }

  /** The value for `text`, from the memo or computed now. */
  get(text: string): V {
    const found = this.byText.get(text);
    if (found !== undefined) return found;
    const made = this.compute(text);
    this.computed++;
    this.byText.set(text, made);
    return made;
  }

  get size(): number {
    return this.byText.size;
  }
}
