/**
 * Lease timings shared by every outbox store. A worker holds a conversation's lease while it sends
 * and renews it every LEASE_MS / 3 (the platform clients time out after 10 s, well inside it).
 * Another worker takes a lease over only LEASE_GRACE_MS after it expired, and a holder stops
 * writing once its lease has expired, so the two never both believe they hold it as long as the
 * instances' clocks agree within the grace (NTP).
 */

/** How long a lease lasts from its acquisition or last renewal. */
export const LEASE_MS = 30_000;

/** How long after expiry a lease may be taken over: covers clock skew between instances. */
export const LEASE_GRACE_MS = 5_000;

/** The expiry of a lease taken or renewed at `now`. */
export function leaseExpiry(now: Date): Date {
  return new Date(now.getTime() + LEASE_MS);
}

/** True when a lease that expires at `expiresAt` may be taken over at `now`. */
export function leaseAbandoned(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() + LEASE_GRACE_MS < now.getTime();
}

/** True while the holder may still act on its lease (renew it, mark its entry). */
export function leaseHeld(expiresAt: Date, now: Date): boolean {
  return now.getTime() < expiresAt.getTime();
}
