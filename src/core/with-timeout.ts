/** Rejects with `timedOut()` when `step` has not settled within `ms`; the timer never outlives it. */
export function withTimeout<T>(step: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), ms);
  });
  return Promise.race([step, expired]).finally(() => clearTimeout(timer));
}
