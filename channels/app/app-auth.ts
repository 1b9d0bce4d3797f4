/** Bearer tokens for the app API: 256 random bits, stored only as SHA-256 hashes, one resident each. */
import { createHash, randomBytes } from 'node:crypto';
import { DajeongError } from '../../src/core/errors';
import type { AppSession, AppSessionStore } from '../../src/core/store-port';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Resolves a bearer token to its session; any failure is the same 401, revealing nothing. */
export async function authenticate(sessions: AppSessionStore, authorization: string | undefined): Promise<AppSession> {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '');
  const session = match ? await sessions.findByTokenHash(hashToken(match[1]!)) : undefined;
  if (!session) throw new DajeongError('unauthorized', 'Missing or invalid token');
  return session;
}
