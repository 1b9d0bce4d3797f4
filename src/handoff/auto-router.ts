/**
 * Assigns queued chats to counselors by the routing policy (ROUTING=auto): only to counselors on
 * shift (or without a shift on their account), plus, during the grace period after a shift ends,
 * to a counselor for a chat they held before (a requeued chat, a transfer naming them).
 */
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { CareService } from './care-service';
import { HandoffError } from './handoff-errors';
import type { HandoffService, PositionedEntry } from './handoff-service';
import { isAvailable } from './presence';
import { chooseCounselor } from './routing-policy';
import { ShiftSchedule } from './shift-schedule';

export interface AutoRouterDeps {
  store: Store;
  handoff: HandoffService;
  skillFallbackMs: number;
  presenceTtlMs: number;
  /** Who is on shift; default: the default hours without grace. */
  shifts?: ShiftSchedule;
  logger: Logger;
}

export class AutoRouter {
  private readonly shifts: ShiftSchedule;

  constructor(private readonly deps: AutoRouterDeps) {
    this.shifts = deps.shifts ?? new ShiftSchedule();
  }

  /** Counselors (role counselor) who may take chats now. */
  async availableCounselors(now: Date): Promise<ConsoleUser[]> {
    const users = await this.deps.store.users.list({ role: 'counselor' });
    // A counselor on a care break (after an abusive or crisis chat) gets nothing new.
    return users.filter((u) => isAvailable(u, now, this.deps.presenceTtlMs) && !CareService.onBreak(u, now));
  }

  /**
   * Offers each entry, in serving order, to the best available counselor. Returns the ids of
   * the conversations assigned. `notify: false` leaves the "counselor joined" notice to the caller.
   */
  async route(queue: PositionedEntry[], options: { notify?: boolean } = {}): Promise<string[]> {
    const now = new Date();
    const available = await this.availableCounselors(now);
    const onShift = available.filter((u) => this.shifts.takesNewChats(u, now));
    const inGrace = available.filter((u) => this.shifts.status(u, now) === 'grace');
    if ((!onShift.length && !inGrace.length) || !queue.length) return [];
    const { handoff } = this.deps;
    const loads = await handoff.loads();
    const assigned: string[] = [];
    for (const entry of queue) {
      const held = inGrace.length ? await this.heldBy(entry) : new Set<string>();
      const counselors = [...onShift, ...inGrace.filter((u) => held.has(u.id))];
      if (!counselors.length) continue;
      const counselor = chooseCounselor({ entry, counselors, loads, capOf: (u) => handoff.capOf(u), now, skillFallbackMs: this.deps.skillFallbackMs });
      if (!counselor) continue;
      try {
        await handoff.assign(entry.conversation, counselor, 'router', options);
        loads.set(counselor.id, (loads.get(counselor.id) ?? 0) + 1);
        assigned.push(entry.conversation.id);
      } catch (err) {
        // Another instance's router or a counselor's accept won the claim: move on.
        if (!(err instanceof HandoffError)) throw err;
        this.deps.logger.debug({ conversationId: entry.conversation.id, code: err.code }, 'auto-assign lost the claim');
      }
    }
    return assigned;
  }

  /** Counselors who held this chat before (earlier episodes) or whom a transfer named. */
  private async heldBy(entry: PositionedEntry): Promise<Set<string>> {
    const episodes = await this.deps.store.episodes.listByConversation(entry.conversation.id);
    const ids = new Set(episodes.map((e) => e.counselorId).filter((id): id is string => Boolean(id)));
    if (entry.episode.preferredCounselorId) ids.add(entry.episode.preferredCounselorId);
    return ids;
  }
}
