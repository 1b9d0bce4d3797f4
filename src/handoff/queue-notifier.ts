/**
 * Tells waiting residents where they stand: their position and an estimated wait, refreshed when
 * the position improves (at most every QUEUE_NOTICE_SECONDS), or, when nobody who can serve them
 * is on duty, says so honestly and offers to keep waiting or to leave a message.
 */
import type { Logger } from '../core/logger-port';
import type { MessageContent } from '../core/message';
import type { Store } from '../core/store-port';
import type { ConsoleUser, Shift } from '../core/user-port';
import type { HandoffService, PositionedEntry } from './handoff-service';
import { tr } from '../i18n/translate';
import { effectivePresence } from './presence';
import { hasSkills } from './routing-policy';
import { ShiftSchedule } from './shift-schedule';

/** Payloads of the "no counselor" choices, captured by the handoff turn step. */
export const KEEP_WAITING_PAYLOAD = 'handoff:wait';
export const LEAVE_MESSAGE_PAYLOAD = 'handoff:message';

/** How long a pass leaves the first notice of a new entry to the escalating turn. */
const IN_TURN_GRACE_MS = 2000;

/** Used when there is no recent wait to learn from. */
const DEFAULT_WAIT_PER_POSITION_MS = 3 * 60_000;

export interface QueueNotifierDeps {
  store: Store;
  handoff: HandoffService;
  noticeIntervalMs: number;
  presenceTtlMs: number;
  /** Who is on shift; default: the default hours. */
  shifts?: ShiftSchedule;
  logger: Logger;
}

/** The staff picture one pass works with. */
export interface Staffing {
  counselors: ConsoleUser[];
  /** Average wait of chats assigned in the last two hours, if any. */
  recentWaitMs?: number;
  now: Date;
}

export class QueueNotifier {
  private readonly shifts: ShiftSchedule;

  constructor(private readonly deps: QueueNotifierDeps) {
    this.shifts = deps.shifts ?? new ShiftSchedule();
  }

  async staffing(now: Date): Promise<Staffing> {
    const counselors = await this.deps.store.users.list({ role: 'counselor' });
    const recent = await this.deps.store.episodes.listQueuedSince(new Date(now.getTime() - 2 * 3600_000), 2000);
    const waits = recent.filter((e) => e.assignedAt).map((e) => e.assignedAt!.getTime() - e.queuedAt.getTime());
    const recentWaitMs = waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : undefined;
    return { counselors, recentWaitMs, now };
  }

  /** The notice for one entry: position and estimate, or the honest "nobody is free" text. */
  notice(entry: PositionedEntry, staffing: Staffing): MessageContent {
    const { now } = staffing;
    const language = entry.conversation.language;
    const skilled = staffing.counselors.filter((u) => hasSkills(u, entry));
    // Signed in and on shift: the router gives new chats to nobody else.
    const onDuty = skilled.filter((u) => effectivePresence(u, now, this.deps.presenceTtlMs) !== 'offline' && this.shifts.takesNewChats(u, now));
    if (!onDuty.length) {
      const shifts = skilled.map((u) => u.shift).filter((s): s is Shift => Boolean(s));
      const time = this.shifts.nextStart(shifts, now);
      return {
        text: tr('resident.handoff.queueNoCounselor', language, { position: entry.position, next: time ? tr('resident.handoff.nextShift', language, { time }) : '' }),
        quickReplies: [
          { label: tr('resident.button.keepWaiting', language), payload: KEEP_WAITING_PAYLOAD },
          { label: tr('resident.button.leaveMessage', language), payload: LEAVE_MESSAGE_PAYLOAD },
        ],
      };
    }
    const serving = Math.max(1, onDuty.filter((u) => effectivePresence(u, now, this.deps.presenceTtlMs) === 'available').length);
    const perPosition = staffing.recentWaitMs && staffing.recentWaitMs > 30_000 ? staffing.recentWaitMs : DEFAULT_WAIT_PER_POSITION_MS;
    const minutes = Math.max(1, Math.ceil((entry.position * perPosition) / serving / 60_000));
    return { text: tr('resident.handoff.queuePosition', language, { position: entry.position, minutes }) };
  }

  /**
   * Notices due for the queue: the first one for new entries, and an update for residents whose
   * position improved since their last notice. Records what was told on the episode.
   */
  async run(queue: PositionedEntry[], staffing: Staffing): Promise<void> {
    const { now } = staffing;
    for (const entry of queue) {
      const last = entry.episode.notice;
      // A bot turn that just queued the chat tells the resident itself, after its own reply.
      if (!last && now.getTime() - entry.episode.queuedAt.getTime() < IN_TURN_GRACE_MS) continue;
      const due = !last || (entry.position < last.position && now.getTime() - last.at.getTime() >= this.deps.noticeIntervalMs);
      if (!due) continue;
      await this.deps.store.episodes.update(entry.episode.id, { notice: { position: entry.position, at: now } });
      await this.deps.handoff.notify(entry.conversation, this.notice(entry, staffing));
    }
  }

  /** Marks the entry told (inside a bot turn the caller sends the notice with the turn's replies). */
  async markTold(entry: PositionedEntry, now: Date): Promise<void> {
    await this.deps.store.episodes.update(entry.episode.id, { notice: { position: entry.position, at: now } });
  }
}

