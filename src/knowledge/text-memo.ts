/**
 * A bounded memo of something computed from a text alone (n-gram counts, tokens), kept between FAQ
 * index builds in the index thread: an edit changes a handful of the ~5,400 texts a build reads.
 * Values must be treated as read-only by every user (they are shared between builds).
 */
export class TextMemo<V> {
  private readonly byText = new Map<string, V>();
  /** Texts computed (not found in the memo) since creation, for tests and benchmarks. */
  computed = 0;

  /**
   * @param compute the value of one text (deterministic)
   * @param capacity texts kept; the least recently used go first
   */
  constructor(
    private readonly compute: (text: string) => V,
    private readonly capacity = 20_000,
  ) {}

  /** The value for `text`, from the memo or computed now. */
  get(text: string): V {
    const found = this.byText.get(text);
    if (found !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.byText.delete(text);
      this.byText.set(text, found);
      return found;
    }
    const made = this.compute(text);
    this.computed++;
    this.byText.set(text, made);
    if (this.byText.size > this.capacity) this.byText.delete(this.byText.keys().next().value!);
    return made;
  }

  get size(): number {
    return this.byText.size;
  }
}
