/**
 * Sends stored outbound messages to push channels, exactly once and in order per conversation, with
 * any number of workers (instances): the store leases each conversation to one worker at a time and
 * hands out only its oldest pending entry; the worker renews the lease while the platform call runs
 * and marks the entry under that lease. Different conversations are sent to concurrently.
 *
 * Failures are retried with backoff (a platform's Retry-After wins) and hold back the later replies
 * of that conversation, so they never overtake. An entry that fails for good (a permanent platform
 * error, or maxAttempts tries) becomes 'failed' for supervisors to retry or discard, and the
 * conversation's later entries go on. Nothing is dropped.
 *
 * Exactly once holds while workers keep renewing; a worker that stalls past its lease, or dies
 * between the platform's answer and the mark, can cause one duplicate (platforms offer no
 * idempotency key to prevent it).
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../core/logger-port';
import { noTelemetry, type SendResult, type Telemetry } from '../core/telemetry-port';
import { DajeongError } from '../core/errors';
import type { LeasedOutboxEntry, Store } from '../core/store-port';
import type { ChannelDirectory } from './channel-directory';

export interface OutboxWorkerOptions {
  pollMs?: number;
  /** Most conversations leased in one pass. */
  batchSize?: number;
  /** Conversations this worker sends to at the same time. */
  concurrency?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often a lease is renewed while its send runs (default 10 s, a third of the lease). */
  renewMs?: number;
  workerId?: string;
  /** Where each send's result is reported for metrics. */
  telemetry?: Telemetry;
  /**
   * Entries of one conversation sent one after the other under one lease when they are due (a
   * backlog after an outage), before the conversation goes back to the common pool (fairness).
   */
  chainLimit?: number;
}

export class OutboxWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private kicked = false;
  /** Set by stop(): a conversation's chain of sends ends with the entry under way. */
  private stopRequested = false;
  private readonly inFlight = new Set<Promise<void>>();

  /** Sends running on this worker now (a metrics gauge). */
  get sending(): number {
    return this.inFlight.size;
  }
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
      concurrency: 16,
      maxAttempts: 12,
      baseDelayMs: 1000,
      maxDelayMs: 5 * 60_000,
      renewMs: 10_000,
      workerId: `w-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      telemetry: noTelemetry,
      chainLimit: 20,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Asks for a pass now (after an enqueue, or when a send finished) instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.kicked = true;
    else this.schedule(0);
  }

  /** Stops leasing and waits for the sends under way (each bounded by its platform client's timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const limit = this.leaseLimit();
      this.running = this.leaseAndStart(limit)
        .then((started) => {
          // A full batch suggests more is due right away.
          if (limit > 0 && started.length === limit) this.kicked = true;
        })
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

  /** One pass: lease due entries, send them, and wait for those sends; returns how many were leased. */
  async pass(): Promise<number> {
    const started = await this.leaseAndStart(this.leaseLimit());
    await Promise.allSettled(started);
    return started.length;
  }

  /** How many more conversations this worker may take on now. */
  private leaseLimit(): number {
    return Math.min(this.o.batchSize, this.o.concurrency - this.inFlight.size);
  }

  private async leaseAndStart(limit: number): Promise<Promise<void>[]> {
    if (limit <= 0) return [];
    const entries = await this.store.outbox.leaseDue(new Date(), limit, this.o.workerId);
    return entries.map((entry) => {
      const task = this.deliver(entry).catch((err) =>
        this.logger.error({ err, outboxId: entry.id, conversationId: entry.conversationId }, 'outbox send failed unexpectedly'),
      );
      this.inFlight.add(task);
      void task.finally(() => {
        this.inFlight.delete(task);
        // The conversation's next entry (or another conversation) can go now.
        this.kick();
      });
      return task;
    });
  }

  /** Sends the leased entry, then the conversation's next ones while they are due, under the same lease. */
  private async deliver(first: LeasedOutboxEntry): Promise<void> {
    let entry: LeasedOutboxEntry | undefined = first;
    for (let n = 1; entry; n++) entry = await this.deliverOne(entry, n < this.o.chainLimit);
  }

  /** Sends one entry and marks it; returns the conversation's next entry when `chain` allows and it is due. */
  private async deliverOne(entry: LeasedOutboxEntry, chain: boolean): Promise<LeasedOutboxEntry | undefined> {
    const log = this.logger.child({ outboxId: entry.id, channel: entry.channel, conversationId: entry.conversationId });
    let lost = false;
    const renew = setInterval(() => {
      this.store.outbox.renewLease(entry, new Date()).then(
        (expiresAt) => {
          if (expiresAt) entry.lease.expiresAt = expiresAt;
          else lost = true;
        },
        (err: unknown) => log.warn({ err }, 'could not renew the outbox lease; will try again'),
      );
    }, this.o.renewMs);
    renew.unref();
    const started = performance.now();
    const report = (result: SendResult) => this.o.telemetry.send(entry.channel, result, performance.now() - started);
    try {
      const outcome = await this.send(entry);
      if (lost) {
        report('lease_lost');
        log.error({ attempt: entry.attempts }, 'outbox lease lost while sending; another worker may send this entry again');
        return undefined;
      }
      let marked: boolean;
      let next: LeasedOutboxEntry | undefined;
      if (!outcome.ok) marked = await this.store.outbox.markFailed(entry, outcome.reason, outcome.retryAt);
      else if (chain && !this.stopRequested) ({ marked, next } = await this.store.outbox.markSentAndLeaseNext(entry, new Date()));
      else marked = await this.store.outbox.markSent(entry, new Date());
      const result: SendResult = !marked ? 'lease_lost' : outcome.ok ? 'sent' : outcome.retryAt ? 'retry' : 'failed';
      report(result);
      const ms = Math.round(performance.now() - started);
      if (result === 'lease_lost') log.error({ attempt: entry.attempts }, 'outbox lease lost before the entry was marked; another worker may send it again');
      else if (result === 'sent') log.info({ send: { channel: entry.channel, attempt: entry.attempts, ms } }, 'sent');
      else if (result === 'retry') log.warn({ attempt: entry.attempts, reason: outcome.ok ? undefined : outcome.reason, ms }, 'send failed; will retry');
      else log.error({ attempt: entry.attempts, reason: outcome.ok ? undefined : outcome.reason, ms }, 'send failed for good; kept as failed in the outbox');
      return next;
    } finally {
      clearInterval(renew);
    }
  }

  /** Calls the platform; says whether it worked, and when to try again if it did not. */
  private async send(entry: LeasedOutboxEntry): Promise<{ ok: true } | { ok: false; reason: string; retryAt?: Date }> {
    const message = await this.store.messages.get(entry.messageId);
    if (!message) return { ok: false, reason: 'message no longer exists' };
    const adapter = this.channels.get(entry.channel);
    // The channel may be switched off for now; keep the reply and try again later.
    if (!adapter) return { ok: false, reason: `channel ${entry.channel} is not enabled`, retryAt: this.retryAt(entry, undefined) };
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
      return { ok: true };
    } catch (err) {
      const retryable = err instanceof DajeongError ? err.retryable : true;
      const reason = err instanceof Error ? err.message : String(err);
      if (!retryable || entry.attempts >= this.o.maxAttempts) return { ok: false, reason };
      const retryAfterMs = err instanceof DajeongError ? (err.options.details as { retryAfterMs?: number } | undefined)?.retryAfterMs : undefined;
      return { ok: false, reason, retryAt: this.retryAt(entry, retryAfterMs) };
    }
  }

  private retryAt(entry: LeasedOutboxEntry, retryAfterMs: number | undefined): Date {
    const backoff = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, entry.attempts - 1));
    const jitter = Math.random() * 0.2 * backoff;
    return new Date(Date.now() + Math.max(backoff + jitter, retryAfterMs ?? 0));
  }
}
