import { randomBytes } from 'node:crypto';

/** Time-ordered, URL-safe unique id: 10 chars of millisecond time plus 12 random chars. */
export function newId(now: number = Date.now()): string {
  return now.toString(36).padStart(10, '0') + randomBytes(9).toString('base64url');
}
