/**
 * Which counselor gets a queued chat: someone available, under their concurrency cap, in the
 * required team, speaking the resident's language and, for a hearing-impaired resident while a
 * counselor with the sign_language skill is on duty, having that skill (any available counselor
 * once the chat has waited past the skill fallback), preferring a transfer's named counselor, then
 * the least loaded, then the one idle longest.
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
  /**
   * Counselors on duty now: signed in and on shift, busy or away too. A wanted skill that nobody on
   * duty who speaks the resident's language has is not waited for: the chat goes to whoever can take it.
   */
  onDuty?: readonly ConsoleUser[];
}

/**
 * The team that serves deaf and hard-of-hearing residents (sign language, text-only habits).
 * Counselors get it like any team, through the user admin API (`teams: ["sign_language"]`).
 */
export const SIGN_LANGUAGE_SKILL = 'sign_language';

/** Skills the entry wants beyond language and team: sign language for a hearing-impaired resident. */
export function wantedSkills(entry: QueueEntry): string[] {
  return entry.conversation.hearingImpaired ? [SIGN_LANGUAGE_SKILL] : [];
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
  const onDuty = input.onDuty ?? [];
  const wanted = wantedSkills(entry).filter((skill) => onDuty.some((u) => speaks(u, entry) && inTeam(u, entry) && u.teams.includes(skill)));
  const speakers = eligible.filter((u) => speaks(u, entry));
  const skilled = speakers.filter((u) => wanted.every((skill) => u.teams.includes(skill)));
  const waited = input.now.getTime() - entry.episode.queuedAt.getTime();
  // Past the fallback the language still counts before the other skills: a deaf resident who
  // writes English is better served by an English speaker than by a signer who reads no English.
  const fallback = speakers.length ? speakers : eligible;
  const pool = skilled.length ? skilled : waited >= input.skillFallbackMs ? fallback : [];
  return [...pool].sort(
    (a, b) =>
      load(a) - load(b) ||
      (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) ||
      (a.id < b.id ? -1 : 1),
  )[0];
}
