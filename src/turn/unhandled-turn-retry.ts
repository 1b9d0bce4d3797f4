/**
 * Runs again the turns of messages that were stored (and acknowledged) but never answered, while the
 * service runs, not only at start-up: a short database outage in the middle of a turn leaves its
 * message unhandled, and a crisis message then must still escalate once the database is back.
 *
 * Each pass lists unhandled messages older than `retryAfterMs` (a turn normally ends within its
 * 15-second timeout), and claims each re-run for the current round by a unique insert, so of several
 * instances exactly one runs it per round. The re-run goes through the gateway's recovery path,
 * which first checks whether replies were already stored (then it only marks the message handled).
 */
import type { Logger } from '../core/logger-port';
import type { Message } from '../core/message';
import type { MessageStore } from '../core/store-port';

/** How far back unhandled messages are looked for (older ones were answered by a restart's recovery or are moot). */
const LOOK_BACK_MS = 24 * 3600_000;
/** Messages re-run per pass, oldest first; the rest wait for the next pass. */
const BATCH = 100;

export interface UnhandledTurnRetryDeps {
  messages: Pick<MessageStore, 'listUnhandledInbound' | 'claimRetry'>;
  /** Schedules the turn again, behind any turn of the same conversation running here. */
  retry(message: Message): void;
  logger: Logger;
  /** A message unhandled for this long is run again (once per such period across instances). */
  retryAfterMs: number;
  /** This instance's id, recorded with its claims. */
  ownerId: string;
  now?: () => number;
}

export class UnhandledTurnRetry {
  private timer?: NodeJS.Timeout;
  private running = false;
  private storeWasDown = false;

  constructor(private readonly deps: UnhandledTurnRetryDeps) {}

  /** Passes every third of the retry period; the timer does not keep the process alive. */
  start(): void {
    const every = Math.max(200, Math.floor(this.deps.retryAfterMs / 3));
    this.timer = setInterval(() => void this.pass(), every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns how many turns it scheduled again. Never throws. */
  async pass(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    const { messages, logger, retryAfterMs } = this.deps;
    const now = (this.deps.now ?? Date.now)();
    let scheduled = 0;
    try {
      const pending = await messages.listUnhandledInbound(new Date(now - LOOK_BACK_MS), BATCH);
      if (this.storeWasDown) logger.info('the store answers again; retrying unhandled turns');
      this.storeWasDown = false;
      const round = Math.floor(now / retryAfterMs);
      for (const message of pending) {
        if (now - message.createdAt.getTime() < retryAfterMs) continue;
        if (!(await messages.claimRetry(message.id, round, this.deps.ownerId))) continue;
        logger.warn({ messageId: message.id, conversationId: message.conversationId }, 'running an unanswered turn again');
        this.deps.retry(message);
        scheduled++;
      }
    } catch (err) {
      if (!this.storeWasDown) logger.warn({ err }, 'cannot look for unanswered turns (store unavailable); will retry');
      this.storeWasDown = true;
    } finally {
      this.running = false;
    }
    return scheduled;
  }
}
