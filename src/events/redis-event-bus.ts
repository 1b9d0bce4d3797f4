/**
 * The EventBus across instances, on one Redis Stream (ioredis).
 *
 * Why a Stream and not pub/sub: pub/sub drops every event published while a subscriber's connection
 * is down, and a publisher cannot tell a lost write from a lost reply. With a Stream each instance
 * reads from the last entry id it saw, so after a reconnect it gets what other instances published
 * meanwhile (within the retained length), in one total order. Events this instance published while
 * Redis was unreachable wait in a bounded queue and are written, in order, once it is back.
 *
 * Guarantees (test/events/event-bus-contract.ts): local subscribers get events synchronously, as
 * with InProcessEventBus; other instances get each event once and in publish order per publisher
 * (every entry carries its publisher id and a per-publisher sequence number, so a write retried
 * after a lost reply is dropped by readers); an instance skips its own entries; Dates survive.
 *
 * What it cannot guarantee, and who covers it: events still queued here when the process dies, the
 * oldest queued events beyond `maxPending`, entries trimmed before a slow reader got them, and entries
 * a Redis restart (no persistence) erased before they were read. The last two are detected and reported
 * through `onGap`; every consumer must anyway catch up from the store (resident streams by message seq,
 * reloads by re-reading data), which is what the gap handler should trigger.
 */
import os from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import type { EventBus, EventMap, EventName } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import { decodeEvent, encodeEvent } from './event-codec';
import { InProcessEventBus } from './in-process-bus';

export interface RedisEventBusOptions {
  /** redis:// or rediss:// URL (REDIS_URL). */
  url: string;
  logger?: Logger;
  /** Stream key; deployments sharing one Redis use different keys. Default 'dajeong:events'. */
  streamKey?: string;
  /** Entries kept in the stream (approximate trim): how far a reader may fall behind. Default 10 000. */
  maxStreamLength?: number;
  /** Events queued here while Redis is unreachable; beyond it the oldest are dropped. Default 10 000. */
  maxPending?: number;
  /** Largest encoded event that leaves this instance; larger ones stay local. Default 512 KiB. */
  maxEventBytes?: number;
  /** This instance may have missed other instances' events; consumers should catch up from the store. */
  onGap?: (reason: string) => void;
  /** Shown in the instance id (logs); a random suffix keeps ids unique across restarts. Default hostname. */
  instanceName?: string;
  /** Extra ioredis options (e.g. a faster retryStrategy in tests). */
  redis?: RedisOptions;
}

/** Counters for health pages and metrics. */
export interface RedisEventBusStats {
  /** Events waiting to be written to Redis. */
  pending: number;
  /** Events dropped because the pending queue was full. */
  dropped: number;
  /** Events too large to leave this instance. */
  oversized: number;
  /** Times a gap was reported. */
  gaps: number;
}

interface StreamInfo {
  lastGeneratedId: string;
  /** Id of the oldest entry still in the stream. */
  firstId?: string;
  length: number;
  /** Entries ever added (Redis >= 7.0). */
  entriesAdded: number;
}

interface Outgoing {
  n: number;
  event: string;
  body: string;
}

/** Entries per XREAD and per pipelined write. */
const BATCH = 200;
/** How long one XREAD blocks; bounds how fast close() returns without a disconnect. */
const BLOCK_MS = 5_000;
/** Publishers remembered for duplicate detection (instances come and go). */
const MAX_SOURCES = 1_000;
/** Silence on a connection with a command under way after which it is dropped and redialled. */
const SOCKET_TIMEOUT_MS = BLOCK_MS + 5_000;
/** How long close() waits for queued events to reach Redis. */
const CLOSE_FLUSH_MS = 2_000;

export class RedisEventBus extends InProcessEventBus implements EventBus {
  override readonly kind = 'redis';
  /** Unique per process start: instances never mistake each other's (or a previous run's) entries. */
  readonly instanceId: string;
  private readonly writer: Redis;
  private readonly reader: Redis;
  private readonly key: string;
  private readonly maxLen: number;
  private readonly maxPending: number;
  private readonly maxBytes: number;
  private readonly log?: Logger;
  private readonly onGap?: (reason: string) => void;
  // A queue with a moving head: shift() on a 10 000-entry array would be O(n) per event in an outage.
  private queue: Outgoing[] = [];
  private head = 0;
  private seq = 0;
  private flushing?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private lastId?: string;
  private runId?: string;
  private needsGapCheck = false;
  /** Events found missing (by publisher sequence) in the batch being read. */
  private missed = 0;
  private readonly seen = new Map<string, number>();
  private readonly counters = { dropped: 0, oversized: 0, gaps: 0 };
  private closed = false;
  private readonly reading: Promise<void>;
  private positioned!: () => void;
  private readonly position = new Promise<void>((resolve) => (this.positioned = resolve));
  private lastComplaint = 0;

  constructor(options: RedisEventBusOptions) {
    super(options.logger);
    this.log = options.logger;
    this.key = options.streamKey ?? 'dajeong:events';
    this.maxLen = options.maxStreamLength ?? 10_000;
    this.maxPending = options.maxPending ?? 10_000;
    this.maxBytes = options.maxEventBytes ?? 512 * 1024;
    this.onGap = options.onGap;
    this.instanceId = `${options.instanceName ?? os.hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    // Writer: no offline queue and no automatic resend; the bounded queue above owns retries.
    this.writer = new Redis(options.url, {
      ...options.redis,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      // A silently dead connection (no reset) is dropped and redialled instead of hanging writes.
      socketTimeout: SOCKET_TIMEOUT_MS,
      connectionName: `dajeong-events-w:${this.instanceId}`,
    });
    // Reader: commands wait for the connection instead of failing, so the read loop just resumes.
    this.reader = new Redis(options.url, {
      ...options.redis,
      enableOfflineQueue: true,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: null,
      // XREAD answers within BLOCK_MS even when idle, so silence beyond that means a dead socket.
      socketTimeout: SOCKET_TIMEOUT_MS,
      connectionName: `dajeong-events-r:${this.instanceId}`,
    });
    for (const [role, client] of [['writer', this.writer], ['reader', this.reader]] as const) {
      // Without an 'error' listener ioredis reports every failed reconnect as unhandled.
      client.on('error', (err: Error) => this.complain({ err, role }, 'redis event bus connection error'));
    }
    this.writer.on('ready', () => this.flush());
    this.reader.on('close', () => {
      if (this.lastId !== undefined) this.needsGapCheck = true;
    });
    this.reading = this.readLoop();
  }

  override publish<K extends EventName>(event: K, payload: EventMap[K]): void {
    super.publish(event, payload);
    if (this.closed) return;
    const body = encodeEvent(payload);
    if (Buffer.byteLength(body) > this.maxBytes) {
      this.counters.oversized++;
      this.log?.error({ event, bytes: Buffer.byteLength(body), max: this.maxBytes }, 'event too large for other instances; delivered locally only');
      return;
    }
    this.queue.push({ n: ++this.seq, event, body });
    if (this.queue.length - this.head > this.maxPending) {
      this.head++;
      this.counters.dropped++;
      this.complain({ dropped: this.counters.dropped, max: this.maxPending }, 'event queue full while Redis is unreachable; dropped the oldest event');
    }
    this.flush();
  }

  /**
   * Resolves once this instance reads the stream: from then on it receives every event other
   * instances publish. Waits for Redis as long as it takes; callers may race it with a timeout.
   */
  ready(): Promise<void> {
    return this.position;
  }

  /** True while both connections to Redis are up. */
  override healthy(): boolean {
    return !this.closed && this.writer.status === 'ready' && this.reader.status === 'ready';
  }

  stats(): RedisEventBusStats {
    return { pending: this.queue.length - this.head, ...this.counters };
  }

  /** Writes queued events, waits up to 2 s for the rest to reach Redis, then disconnects. */
  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadline = Date.now() + CLOSE_FLUSH_MS;
    while (this.queue.length > this.head && this.writer.status === 'ready' && Date.now() < deadline) {
      this.flush();
      await this.flushing;
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reader.disconnect();
    await this.reading;
    this.writer.disconnect();
    await super.close();
  }

  private flush(): void {
    if (this.flushing || this.retryTimer || this.queue.length === this.head || this.writer.status !== 'ready') return;
    this.flushing = this.writeQueued().then(
      () => {
        this.flushing = undefined;
        this.flush(); // more may have arrived while the last batch was on the wire
      },
      (err: unknown) => {
        this.flushing = undefined;
        this.complain({ err }, 'writing events to redis failed; will retry');
        // A dropped connection retries on 'ready'; other errors (e.g. Redis out of memory) after a pause.
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.flush();
        }, 500);
        this.retryTimer.unref();
      },
    );
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > this.head && this.writer.status === 'ready') {
      const batch = this.queue.slice(this.head, this.head + BATCH);
      const pipeline = this.writer.pipeline();
      for (const e of batch) {
        pipeline.xadd(this.key, 'MAXLEN', '~', this.maxLen, '*', 's', this.instanceId, 'n', e.n, 'e', e.event, 'p', e.body);
      }
      const results = (await pipeline.exec()) ?? [];
      let written = 0;
      while (written < batch.length && results[written] && !results[written]![0]) written++;
      this.dequeueThrough(written > 0 ? batch[written - 1]!.n : 0);
      if (written < batch.length) {
        const err = results.find(([e]) => e)?.[0];
        throw err ?? new Error('redis pipeline ended early');
      }
    }
  }

  /** Removes queued events up to sequence number `n` (the queue may have lost its oldest meanwhile). */
  private dequeueThrough(n: number): void {
    while (this.head < this.queue.length && this.queue[this.head]!.n <= n) this.head++;
    if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.lastId === undefined) await this.startPosition();
        else if (this.needsGapCheck) await this.checkGap();
        const reply = (await this.reader.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.key, this.lastId!)) as
          | [string, [string, string[]][]][]
          | null;
        const entries = reply?.[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          this.lastId = id;
          this.receive(fields);
        }
        if (this.missed > 0) {
          this.reportGap(`${this.missed} events from other instances never arrived`);
          this.missed = 0;
        }
        // A full batch means this instance is behind; make sure nothing was trimmed under it.
        if (entries.length === BATCH) this.needsGapCheck = true;
      } catch (err) {
        if (this.closed) return;
        this.complain({ err }, 'reading events from redis failed; retrying');
        // The reader's commands wait for a reconnect; this pause only stops a tight loop on other errors.
        await new Promise((resolve) => setTimeout(resolve, 200).unref());
      }
    }
  }

  /** The first read starts after the newest entry: earlier events predate this instance. */
  private async startPosition(): Promise<void> {
    this.runId = await this.serverRunId();
    const info = await this.streamInfo();
    this.lastId = info?.lastGeneratedId ?? '0-0';
    this.needsGapCheck = false;
    this.positioned();
  }

  private async checkGap(): Promise<void> {
    this.needsGapCheck = false;
    const runId = await this.serverRunId();
    if (this.runId !== undefined && runId !== this.runId) {
      this.runId = runId;
      this.reportGap('redis restarted; entries it held before are gone');
      return;
    }
    const info = await this.streamInfo();
    if (!info) return;
    // Trimming removes the oldest entries: if even the first one left is newer than the last one
    // read, entries in between may be gone. (Redis 7.0 does not count trims in max-deleted-entry-id.)
    const trimmed =
      this.lastId === '0-0'
        ? info.entriesAdded > info.length
        : info.firstId !== undefined && compareIds(info.firstId, this.lastId!) > 0;
    if (trimmed) this.reportGap(`fell behind the stream's retention (${this.maxLen} entries)`);
  }

  private reportGap(reason: string): void {
    this.counters.gaps++;
    this.log?.warn({ reason }, 'may have missed events from other instances; consumers catch up from the store');
    try {
      this.onGap?.(reason);
    } catch (err) {
      this.log?.error({ err }, 'event gap handler failed');
    }
  }

  private async serverRunId(): Promise<string | undefined> {
    const text = await this.reader.info('server');
    return /run_id:(\w+)/.exec(text)?.[1];
  }

  private async streamInfo(): Promise<StreamInfo | undefined> {
    const exists = await this.reader.exists(this.key);
    if (!exists) return undefined;
    const flat = (await this.reader.call('XINFO', 'STREAM', this.key)) as unknown[];
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
    const first = info.get('first-entry');
    return {
      lastGeneratedId: String(info.get('last-generated-id') ?? '0-0'),
      firstId: Array.isArray(first) && typeof first[0] === 'string' ? first[0] : undefined,
      length: Number(info.get('length') ?? 0),
      entriesAdded: Number(info.get('entries-added') ?? 0),
    };
  }

  private receive(fields: string[]): void {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    const { s: source, e: event, p: body } = f;
    const n = Number(f['n']);
    if (!source || !event || body === undefined || !Number.isSafeInteger(n)) return;
    if (source === this.instanceId) return;
    const last = this.seen.get(source);
    if (last !== undefined && n <= last) return; // a write retried after its reply was lost
    // Publishers number their events 1, 2, 3...: a jump means events were trimmed or dropped.
    if (last !== undefined && n > last + 1) this.missed += n - last - 1;
    this.seen.delete(source); // re-insert: the map's order is least recently heard first
    this.seen.set(source, n);
    if (this.seen.size > MAX_SOURCES) this.seen.delete(this.seen.keys().next().value!);
    let payload: unknown;
    try {
      payload = decodeEvent(body);
    } catch (err) {
      this.log?.error({ err, event, source }, 'unreadable event from another instance; skipped');
      return;
    }
    this.deliver(event as EventName, payload as EventMap[EventName]);
  }

  /** Logs at most once every 5 s: a Redis outage must not flood the logs. */
  private complain(details: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (now - this.lastComplaint < 5_000) return;
    this.lastComplaint = now;
    this.log?.warn(details, msg);
  }
}

/** Orders stream ids "ms-seq" numerically. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((x) => BigInt(x));
  const [bm = 0n, bs = 0n] = b.split('-').map((x) => BigInt(x));
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
