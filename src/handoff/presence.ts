/** Who counts as online or available, given presence and the last sign of life. */
import type { ConsoleUser } from '../core/user-port';

/** Presence as others should see it: a user not heard from within ttlMs is offline. */
export function effectivePresence(user: ConsoleUser, now: Date, ttlMs: number): ConsoleUser['presence'] {
  if (user.disabled) return 'offline';
  const seen = user.lastSeenAt ?? user.presenceAt;
  if (now.getTime() - seen.getTime() > ttlMs) return 'offline';
  return user.presence;
}

/** True when the user may take new chats right now. */
export function isAvailable(user: ConsoleUser, now: Date, ttlMs: number): boolean {
  return effectivePresence(user, now, ttlMs) === 'available';
}

/** True when the user is logged in and present (available or away). */
export function isOnline(user: ConsoleUser, now: Date, ttlMs: number): boolean {
  return effectivePresence(user, now, ttlMs) !== 'offline';
}
