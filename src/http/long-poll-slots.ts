/**
 * Bounds on open long-poll waits (GET /api/app/v1/messages?wait=): each open wait holds a socket, a
 * timer and an event subscription, and re-reads the store now and then. One token may keep a few
 * open (a resident with two tabs), the instance a configured number in all; past either bound the
 * request is refused at once with Retry-After instead of piling up. Counts are per instance: each
 * instance protects itself, and nothing here is state another instance needs.
 */

/** Open waits one session token may hold at once on an instance. */
export const WAITS_PER_TOKEN = 3;

export type SlotRefusal = 'token' | 'total';

export class LongPollSlots {
  private readonly byToken = new Map<string, number>();
  private open = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly perToken = WAITS_PER_TOKEN,
  ) {}

  /** Takes a slot for `tokenKey`; returns the release function, or which bound refused it. */
  acquire(tokenKey: string): (() => void) | SlotRefusal {
    const held = this.byToken.get(tokenKey) ?? 0;
    if (held >= this.perToken) return 'token';
    if (this.open >= this.maxTotal) return 'total';
    this.byToken.set(tokenKey, held + 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byToken.get(tokenKey) ?? 1) - 1;
      if (left > 0) this.byToken.set(tokenKey, left);
      else this.byToken.delete(tokenKey);
    };
  }

  /** Open waits now (for metrics and tests). */
  get size(): number {
    return this.open;
  }
}
