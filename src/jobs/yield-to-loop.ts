/**
 * Lets the event loop run (timers, I/O, other requests) before continuing. Awaiting a resolved
 * promise is not enough: its continuation runs in the same macrotask, so a chain of awaits over
 * main-thread work blocks the loop as long as one synchronous call would.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
