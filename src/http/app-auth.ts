/** Bearer tokens for the app API: 256 random bits, stored only as SHA-256 hashes, one resident each. */
import { createHash, randomBytes } from 'node:crypto';
import { DajeongError } from '../core/errors';
import type { AppSession, Store } from '../core/store-port';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How stale a session's lastSeenAt may get before a request refreshes it. */
const TOUCH_EVERY_MS = 3_600_000;

export interface SessionExpiry {
  /** A session unused for longer than this is refused (and later swept); 0 or unset: never. */
  idleMs?: number;
  now?: Date;
}

/**
 * Resolves a bearer token to its session, refreshing its last use; an idle (expired) session and
 * any other failure are the same 401, revealing nothing.
 */
/** The token of an `Authorization: Bearer …` header, or undefined when it has another form. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '')?.[1];
}

export async function authenticate(store: Store, authorization: string | undefined, expiry: SessionExpiry = {}): Promise<AppSession> {
  const token = bearerToken(authorization);
  const session = token ? await store.appSessions.findByTokenHash(hashToken(token)) : undefined;
  if (!session) throw new DajeongError('unauthorized', 'Missing or invalid token');
  const now = expiry.now ?? new Date();
  const idle = now.getTime() - (session.lastSeenAt ?? session.createdAt).getTime();
  if (expiry.idleMs && idle > expiry.idleMs) throw new DajeongError('unauthorized', 'Missing or invalid token');
  if (idle > TOUCH_EVERY_MS) {
    await store.appSessions.touch(session.tokenHash, now);
    session.lastSeenAt = now;
  }
  return session;
}
