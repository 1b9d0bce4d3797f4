/**
 * Lets the event loop run (timers, I/O, other requests) before continuing. Awaiting a resolved
 * promise is not enough: its continuation runs in the same macrotask, so a chain of awaits over
 * main-thread work blocks the loop as long as one synchronous call would.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` over `items` a slice at a time, letting the event loop run after each slice: for
 * main-thread work over many items that would otherwise hold the loop for longer than a turn may.
 */
export async function inSlices<T>(items: readonly T[], size: number, work: (slice: readonly T[]) => void): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    work(items.slice(i, i + size));
    await yieldToLoop();
  }
}
