/** Assigns queued chats to counselors by the routing policy (ROUTING=auto). */
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from './handoff-errors';
import type { HandoffService, PositionedEntry } from './handoff-service';
import { isAvailable } from './presence';
import { chooseCounselor } from './routing-policy';

export interface AutoRouterDeps {
  store: Store;
  handoff: HandoffService;
  skillFallbackMs: number;
  presenceTtlMs: number;
  logger: Logger;
}

export class AutoRouter {
  constructor(private readonly deps: AutoRouterDeps) {}

  /** Counselors (role counselor) who may take chats now. */
  async availableCounselors(now: Date): Promise<ConsoleUser[]> {
    const users = await this.deps.store.users.list({ role: 'counselor' });
    return users.filter((u) => isAvailable(u, now, this.deps.presenceTtlMs));
  }

  /**
   * Offers each entry, in serving order, to the best available counselor. Returns the ids of
   * the conversations assigned. `notify: false` leaves the "counselor joined" notice to the caller.
   */
  async route(queue: PositionedEntry[], options: { notify?: boolean } = {}): Promise<string[]> {
    const now = new Date();
    const counselors = await this.availableCounselors(now);
    if (!counselors.length || !queue.length) return [];
    const { handoff } = this.deps;
    const loads = await handoff.loads();
    const assigned: string[] = [];
    for (const entry of queue) {
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
}
