/**
 * Sends stored outbound messages to push channels. Entries are leased so several workers (or
 * instances) never send one entry twice in one attempt; failures are retried with backoff, and
 * nothing is dropped: an entry that exhausts its attempts stays as 'failed' for staff to see.
 */
import type { Logger } from '../core/logger-port';
import { DajeongError } from '../core/errors';
import type { OutboxEntry, Store } from '../core/store-port';
import type { ChannelDirectory } from './channel-directory';

export interface OutboxWorkerOptions {
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  workerId?: string;
}

export class OutboxWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private kicked = false;
  private readonly o: Required<OutboxWorkerOptions>;

  constructor(
    private readonly store: Store,
    private readonly channels: ChannelDirectory,
    private readonly logger: Logger,
    options: OutboxWorkerOptions = {},
  ) {
    this.o = {
      pollMs: 500,
      batchSize: 20,
      maxAttempts: 12,
      baseDelayMs: 1000,
      maxDelayMs: 5 * 60_000,
      workerId: `w-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a pass now (after an enqueue) instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.kicked = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(() => undefined)
        .catch((err) => this.logger.error({ err }, 'outbox pass failed'))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const again = this.kicked;
          this.kicked = false;
          this.schedule(again ? 0 : this.o.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** One pass: lease due entries and send them; returns how many were leased. */
  async pass(): Promise<number> {
    const entries = await this.store.outbox.leaseDue(new Date(), this.o.batchSize, this.o.workerId);
    for (const entry of entries) await this.sendOne(entry);
    if (entries.length === this.o.batchSize) this.kicked = true;
    return entries.length;
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    const log = this.logger.child({ outboxId: entry.id, channel: entry.channel, conversationId: entry.conversationId });
    const adapter = this.channels.get(entry.channel);
    const message = await this.store.messages.get(entry.messageId);
    if (!message) {
      await this.store.outbox.markFailed(entry.id, 'message no longer exists');
      return;
    }
    if (!adapter) {
      // The channel may be switched off for now; keep the reply and try again later.
      await this.store.outbox.markFailed(entry.id, `channel ${entry.channel} is not enabled`, this.retryAt(entry, undefined));
      return;
    }
    const conversation = await this.store.conversations.get(entry.conversationId);
    try {
      await adapter.send(
        {
          channel: entry.channel,
          externalUserId: entry.externalUserId,
          conversationId: entry.conversationId,
          lastInboundAt: conversation?.lastInboundAt,
          channelContext: conversation?.channelContext,
        },
        [message],
      );
      await this.store.outbox.markSent(entry.id, new Date());
    } catch (err) {
      const retryable = err instanceof DajeongError ? err.retryable : true;
      const reason = err instanceof Error ? err.message : String(err);
      if (retryable && entry.attempts < this.o.maxAttempts) {
        const retryAfterMs = err instanceof DajeongError ? (err.options.details as { retryAfterMs?: number } | undefined)?.retryAfterMs : undefined;
        await this.store.outbox.markFailed(entry.id, reason, this.retryAt(entry, retryAfterMs));
        log.warn({ attempt: entry.attempts, reason }, 'send failed; will retry');
      } else {
        await this.store.outbox.markFailed(entry.id, reason);
        log.error({ attempt: entry.attempts, reason }, 'send failed for good; kept as failed in the outbox');
      }
    }
  }

  private retryAt(entry: OutboxEntry, retryAfterMs: number | undefined): Date {
    const backoff = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, entry.attempts - 1));
    const jitter = Math.random() * 0.2 * backoff;
    return new Date(Date.now() + Math.max(backoff + jitter, retryAfterMs ?? 0));
  }
}
