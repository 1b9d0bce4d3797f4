/**
 * Which counselor gets a queued chat: someone available, under their concurrency cap, in the
 * required team, speaking the resident's language (any available counselor once the chat has
 * waited past the skill fallback), preferring a transfer's named counselor, then the least loaded,
 * then the one idle longest.
 */
import type { ConsoleUser } from '../core/user-port';
import type { QueueEntry } from './queue-order';

export interface RoutingInput {
  entry: QueueEntry;
  /** Counselors available now. */
  counselors: ConsoleUser[];
  loads: Map<string, number>;
  capOf: (user: ConsoleUser) => number;
  now: Date;
  skillFallbackMs: number;
}

/** True when the user has the skills the entry needs (language, and team if one is required). */
export function hasSkills(user: ConsoleUser, entry: QueueEntry): boolean {
  return speaks(user, entry) && inTeam(user, entry);
}

export function speaks(user: ConsoleUser, entry: QueueEntry): boolean {
  return user.languages.includes(entry.conversation.language);
}

export function inTeam(user: ConsoleUser, entry: QueueEntry): boolean {
  return !entry.episode.team || user.teams.includes(entry.episode.team);
}

/** The counselor to offer the entry to, or undefined when it must keep waiting. */
export function chooseCounselor(input: RoutingInput): ConsoleUser | undefined {
  const { entry, loads, capOf } = input;
  const load = (u: ConsoleUser) => loads.get(u.id) ?? 0;
  const eligible = input.counselors.filter((u) => load(u) < capOf(u) && inTeam(u, entry));
  const preferred = eligible.find((u) => u.id === entry.episode.preferredCounselorId);
  if (preferred) return preferred;
  const skilled = eligible.filter((u) => speaks(u, entry));
  const waited = input.now.getTime() - entry.episode.queuedAt.getTime();
  const pool = skilled.length ? skilled : waited >= input.skillFallbackMs ? eligible : [];
  return [...pool].sort(
    (a, b) =>
      load(a) - load(b) ||
      (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) ||
      (a.id < b.id ? -1 : 1),
  )[0];
}
