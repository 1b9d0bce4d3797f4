import { randomBytes } from 'node:crypto';

/** Time-ordered, URL-safe unique id: 10 chars of millisecond time plus 12 random chars. */
export function newId(now: number = Date.now()): string {
  return now.toString(36).padStart(10, '0') + randomBytes(9).toString('base64url');
}

let sequence = 0;
const SEQUENCE_SPAN = 36 ** 6;

/**
 * Like newId, but ids made by one process in the same millisecond still sort in creation order
 * (a process-wide counter follows the time), so records can be ordered by id as a tie-break.
 */
export function newOrderedId(now: number = Date.now()): string {
  sequence = (sequence + 1) % SEQUENCE_SPAN;
  return now.toString(36).padStart(10, '0') + sequence.toString(36).padStart(6, '0') + randomBytes(6).toString('base64url');
}
