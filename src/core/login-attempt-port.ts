/**
 * Console sign-in attempts, one record each. Counting by inserting (never by read-modify-write
 * of a counter) keeps the count right when many attempts arrive at once on several instances.
 */

/** Attempts older than this no longer count; the retention sweep deletes them. */
export const LOGIN_ATTEMPT_WINDOW_MS = 24 * 3600_000;

export interface LoginAttempt {
  /** Unique, time-ordered (newOrderedId): orders attempts of the same millisecond. */
  id: string;
  /** The login as typed, lower-cased: unknown logins are counted exactly like existing ones. */
  login: string;
  /** Client address the attempt came from. */
  address: string;
  at: Date;
}

export interface LoginAttemptQuery {
  login: string;
  /** Only attempts from this address. */
  address?: string;
  /** Attempts at or after this time... */
  since: Date;
  /** ...and at or before this one. */
  until: Date;
  limit: number;
}

export interface LoginAttemptStore {
  /** Records one attempt under a fresh unique id (an insert, so concurrent attempts all count). */
  add(attempt: Omit<LoginAttempt, 'id'>): Promise<LoginAttempt>;
  /** Attempts matching the query, newest first (at, then id). */
  list(query: LoginAttemptQuery): Promise<LoginAttempt[]>;
  /** Removes one attempt (one that was refused before any password was checked). */
  remove(id: string): Promise<void>;
  /** Forgets every attempt of a login (a successful sign-in, an unlock); returns how many. */
  clear(login: string): Promise<number>;
  /** Deletes attempts older than the cutoff (retention); returns how many. */
  deleteBefore(cutoff: Date): Promise<number>;
}
