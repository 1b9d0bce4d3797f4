/**
 * Deletes closed conversations older than the retention period, with their messages and outbox
 * entries, and finished (resolved or rejected) tickets, through the Store port. Runs in-process
 * on an interval because TTL indexes are not
 * available on every MongoDB-wire server (FerretDB), and the memory store needs it too.
 */
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import { eraseConversationData } from './conversation-erasure';

export interface RetentionSweeperOptions {
  store: Store;
  /** Closed conversations whose closedAt is older than this are deleted; 0 or less disables sweeping. */
  retentionMs: number;
  /** Time between sweeps. Default one hour. */
  intervalMs?: number;
  /** Conversations listed and deleted per batch. Default 100. */
  batchSize?: number;
  /** Batches per sweep at most, so one sweep cannot run forever; the rest waits for the next. Default 50. */
  maxBatches?: number;
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => Date;
  /** Console sign-in attempts older than this are deleted on every sweep; unset keeps them. */
  loginAttemptMaxAgeMs?: number;
  /**
   * App / web chat sessions unused for longer than this are ended on every sweep (their tokens
   * already stop working then): a conversation that never reached a counselor is deleted with
   * them, one that did is closed (and later swept by retention). Unset keeps sessions.
   */
  appSessionIdleMs?: number;
}

/** What one sweep removed; also written to the audit log. */
export interface SweepResult {
  cutoff: Date;
  conversations: number;
  messages: number;
  outbox: number;
  /** Resolved and rejected tickets last changed before the cutoff. */
  tickets: number;
  /** Expired console sign-in attempts deleted (when loginAttemptMaxAgeMs is set). */
  loginAttempts?: number;
  /** Idle app sessions ended, bot-only conversations deleted and residents left with nothing deleted (when appSessionIdleMs is set). */
  idle?: IdleSweep;
  /** Delivery keys (hashed platform message ids) forgotten, DELIVERY_KEY_GRACE_MS after the retention cutoff. */
  deliveryKeys?: number;
}

/** How long a platform message id is remembered after its message may have been deleted: platforms replay within days. */
export const DELIVERY_KEY_GRACE_MS = 30 * 86_400_000;

export interface IdleSweep {
  sessions: number;
  conversations: number;
  residents: number;
}

/** Audit actor and action of a sweep, so operators can find the evidence that retention ran. */
export const RETENTION_ACTOR = 'system:retention';
export const RETENTION_ACTION = 'retention.sweep';

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly now: () => Date;

  constructor(private readonly options: RetentionSweeperOptions) {
    this.intervalMs = options.intervalMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 100;
    this.maxBatches = options.maxBatches ?? 50;
    this.now = options.now ?? (() => new Date());
  }

  /** False when retention is 0 (keep forever) and nothing else expires; start() then does nothing. */
  get enabled(): boolean {
    return this.conversationsExpire || this.options.loginAttemptMaxAgeMs !== undefined || this.options.appSessionIdleMs !== undefined;
  }

  private get conversationsExpire(): boolean {
    return this.options.retentionMs > 0;
  }

  /** Sweeps now and then every intervalMs. The timer does not keep the process alive. */
  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops the timer and waits for a sweep in progress, so shutdown does not cut one in half. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Runs one sweep; a call while one is running joins it instead of starting another.
   * @throws the store's error (e.g. StoreUnavailableError) when the sweep could not finish.
   */
  sweepOnce(): Promise<SweepResult> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      const result = await this.sweepOnce();
      if (result.conversations > 0)
        this.options.logger?.info({ ...result }, 'retention sweep deleted closed conversations');
    } catch (err) {
      this.options.logger?.error({ err }, 'retention sweep failed; retrying at the next interval');
    }
  }

  private async sweep(): Promise<SweepResult> {
    const { store } = this.options;
    const result: SweepResult = {
      cutoff: new Date(this.now().getTime() - this.options.retentionMs),
      conversations: 0,
      messages: 0,
      outbox: 0,
      tickets: 0,
    };
    if (!this.enabled) return result;
    try {
      if (this.options.appSessionIdleMs !== undefined)
        result.idle = await this.endIdleSessions(new Date(this.now().getTime() - this.options.appSessionIdleMs));
      if (this.options.loginAttemptMaxAgeMs !== undefined)
        result.loginAttempts = await store.loginAttempts.deleteBefore(
          new Date(this.now().getTime() - this.options.loginAttemptMaxAgeMs),
        );
      for (let batch = 0; this.conversationsExpire && batch < this.maxBatches; batch++) {
        const expired = await store.conversations.listClosedBefore(result.cutoff, this.batchSize);
        for (const conversation of expired) {
          // Outbox first (nothing is sent for a vanishing conversation), the conversation last:
          // if the sweep stops midway, the conversation is still listed and the next sweep finishes it.
          const erased = await eraseConversationData(store, conversation.id);
          result.outbox += erased.outbox;
          result.messages += erased.messages;
          await store.conversations.delete(conversation.id);
          result.conversations++;
        }
        if (expired.length < this.batchSize) break;
      }
      if (this.conversationsExpire) {
        result.tickets = await store.tickets.deleteFinishedBefore(result.cutoff);
        result.deliveryKeys = await store.messages.forgetDeliveries(new Date(result.cutoff.getTime() - DELIVERY_KEY_GRACE_MS));
      }
    } catch (err) {
      // Best effort: the database is likely what failed, so the audit write may fail too.
      await this.record(result, err).catch(() => undefined);
      throw err;
    }
    await this.record(result);
    return result;
  }

  /**
   * Ends sessions idle since before the cutoff. A session's conversation still with the bot and
   * never handed to a counselor is deleted (nobody can write to it again: app identities live
   * only as long as their token), and so is its resident when nothing else of theirs remains.
   * Conversations with a counselor now keep their session until the chat ends.
   */
  private async endIdleSessions(cutoff: Date): Promise<IdleSweep> {
    const { store } = this.options;
    const swept: IdleSweep = { sessions: 0, conversations: 0, residents: 0 };
    for (let batch = 0; batch < this.maxBatches; batch++) {
      const idle = await store.appSessions.listIdleBefore(cutoff, this.batchSize);
      for (const session of idle) {
        const conversation = await store.conversations.get(session.conversationId);
        if (conversation?.state === 'queued' || conversation?.state === 'assigned') {
          // Listed again only once idle again, so a batch cannot keep returning it.
          await store.appSessions.touch(session.tokenHash, this.now());
          continue;
        }
        if (conversation?.state === 'bot' && conversation.handoffSeq === 0) {
          await eraseConversationData(store, conversation.id);
          await store.conversations.delete(conversation.id);
          swept.conversations++;
        } else if (conversation?.state === 'bot') {
          await store.conversations.update(conversation.id, { state: 'closed', closedAt: this.now() });
        }
        await store.appSessions.delete(session.tokenHash);
        swept.sessions++;
        if (await this.leftWithNothing(session.residentId)) {
          await store.residents.delete(session.residentId);
          swept.residents++;
        }
      }
      if (idle.length < this.batchSize) break;
    }
    return swept;
  }

  private async leftWithNothing(residentId: string): Promise<boolean> {
    const { store } = this.options;
    const [conversations, tickets, sessions] = await Promise.all([
      store.conversations.list({ residentId, limit: 1 }),
      store.tickets.list({ residentId, limit: 1 }),
      store.appSessions.listByResident(residentId),
    ]);
    return conversations.length === 0 && tickets.length === 0 && sessions.length === 0;
  }

  private async record(result: SweepResult, err?: unknown): Promise<void> {
    const code = (err as { code?: unknown } | undefined)?.code;
    await this.options.store.audit.record({
      actor: RETENTION_ACTOR,
      action: RETENTION_ACTION,
      details: {
        cutoff: result.cutoff.toISOString(),
        retentionMs: this.options.retentionMs,
        conversations: result.conversations,
        messages: result.messages,
        outbox: result.outbox,
        tickets: result.tickets,
        ...(result.loginAttempts !== undefined && { loginAttempts: result.loginAttempts }),
        ...(result.idle && { idle: result.idle }),
        ...(err ? { failed: true, error: typeof code === 'string' ? code : 'internal' } : {}),
      },
    });
  }
}
