/**
 * Console users (counselors, supervisors, admins) and their login sessions. Both live in the store
 * so every instance of the service sees the same accounts, presence and sessions.
 */
import type { LoginAttemptStore } from './login-attempt-port';
import type { Language } from './message';

/** qa: quality reviewers, who score closed chats and read reports but take no chats. */
export type ConsoleRole = 'counselor' | 'supervisor' | 'admin' | 'qa';
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['counselor', 'supervisor', 'admin', 'qa'];
/** Roles that take chats (presence, routing, transfers). */
export const CHAT_ROLES: readonly ConsoleRole[] = ['counselor', 'supervisor'];

/** available: takes chats; away: logged in but not taking new chats; offline: gone. */
export type Presence = 'available' | 'away' | 'offline';
export const PRESENCES: readonly Presence[] = ['available', 'away', 'offline'];

/** The center's three shifts (hours in src/handoff/shift-schedule.ts). */
export type Shift = 'day' | 'night' | 'graveyard';
export const SHIFTS: readonly Shift[] = ['day', 'night', 'graveyard'];

export interface ConsoleUser {
  id: string;
  /** Unique, stored lower-case. */
  login: string;
  /** argon2id hash (PHC string); never leaves the server. */
  passwordHash: string;
  role: ConsoleRole;
  displayName: string;
  /** Languages the user can serve residents in (routing skill). */
  languages: Language[];
  /** Teams the user belongs to, e.g. 'interpreters', 'welfare' (routing skill). */
  teams: string[];
  shift?: Shift;
  /** Most chats this counselor handles at once; unset = the configured default. */
  maxConcurrent?: number;
  presence: Presence;
  presenceAt: Date;
  /** Last sign of life (console request or WebSocket heartbeat); stale users count as offline. */
  lastSeenAt?: Date;
  /** When the router last gave this counselor a chat (tie-break: longest idle first). */
  lastAssignedAt?: Date;
  /** No longer maintained: failed sign-ins are counted in the loginAttempts store. Kept for old records. */
  failedLogins: number;
  /** Until when sign-ins to this account are refused from every address (informational, for the console). */
  lockedUntil?: Date;
  disabled?: boolean;
  /** A care break taken after an abusive or crisis chat: the router gives nothing new until `until`. */
  careBreak?: { from: Date; until: Date };
  createdAt: Date;
  updatedAt: Date;
}

export type NewConsoleUser = Omit<ConsoleUser, 'id' | 'createdAt' | 'updatedAt' | 'failedLogins' | 'presence' | 'presenceAt'> &
  Partial<Pick<ConsoleUser, 'presence' | 'presenceAt'>>;

export type ConsoleUserPatch = Partial<Omit<ConsoleUser, 'id' | 'login' | 'createdAt'>>;

export interface UserStore {
  /** Creates a user; a login that exists (case-insensitive) rejects with code 'conflict'. */
  create(input: NewConsoleUser): Promise<ConsoleUser>;
  get(id: string): Promise<ConsoleUser | undefined>;
  findByLogin(login: string): Promise<ConsoleUser | undefined>;
  /** All users, or those of one role, oldest first. */
  list(query?: { role?: ConsoleRole }): Promise<ConsoleUser[]>;
  /** Applies a patch (fields set to undefined are removed); rejects with 'not_found'. */
  update(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser>;
}

export interface ConsoleSession {
  /** SHA-256 of the cookie value; the raw token is never stored. */
  tokenHash: string;
  userId: string;
  /** Synchronizer token that state-changing requests must echo in x-csrf-token. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface ConsoleSessionStore {
  create(session: ConsoleSession): Promise<void>;
  /** The session, or undefined when unknown or expired at `now`. */
  find(tokenHash: string, now: Date): Promise<ConsoleSession | undefined>;
  /** Slides the expiry forward (idle timeout). */
  extend(tokenHash: string, expiresAt: Date): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Ends every session of a user (password change, disable). */
  deleteByUser(userId: string): Promise<number>;
}

/** Store members added by the console; `Store` extends this. */
export interface UserStores {
  users: UserStore;
  consoleSessions: ConsoleSessionStore;
  /** Sign-in attempts for throttling (src/core/login-attempt-port.ts). */
  loginAttempts: LoginAttemptStore;
}
