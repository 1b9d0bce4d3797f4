/**
 * One canonical message may need several platform messages (long text split, image plus text).
 * When part 2 of 3 fails, the outbox retries the whole message; this remembers how far the
 * previous attempt got so the retry resumes there instead of repeating parts the resident already
 * has. Kept in memory: after a restart a retry may repeat a part, but it never skips one.
 */
export class PartProgress {
  private readonly done = new Map<string, { sent: number; ids: string[] }>();

  constructor(private readonly capacity = 5000) {}

  /**
   * Sends parts[i] for every part not yet sent under `key` (a stored message id), in order.
   * Returns the platform ids of all parts; rethrows the first failure after recording progress.
   */
  async run<T>(
    key: string,
    parts: readonly T[],
    sendOne: (part: T, index: number) => Promise<string[]>,
  ): Promise<string[]> {
    const state = this.done.get(key) ?? { sent: 0, ids: [] };
    for (let i = state.sent; i < parts.length; i++) {
      try {
        state.ids.push(...(await sendOne(parts[i]!, i)));
        state.sent = i + 1;
      } catch (err) {
        if (state.sent > 0) this.remember(key, state);
        throw err;
      }
    }
    this.done.delete(key);
    return state.ids;
  }

  private remember(key: string, state: { sent: number; ids: string[] }): void {
    this.done.delete(key);
    this.done.set(key, state);
    // Oldest first out: Map keeps insertion order.
    while (this.done.size > this.capacity) this.done.delete(this.done.keys().next().value!);
  }
}
