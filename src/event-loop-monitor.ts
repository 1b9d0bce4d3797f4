/**
 * Watches the main thread's event loop: the delay histogram of perf_hooks.monitorEventLoopDelay,
 * and every stall (a timer tick later than `stallMs`), split into the time the thread was blocked
 * (running our code or stuck in a synchronous call) and the time it was merely waiting for a CPU.
 *
 * The split matters on a busy 2-core machine: there an idle loop's timer can fire hundreds of
 * milliseconds late because other processes hold the CPUs, which says nothing about our code. The
 * kernel counts a thread's run-queue wait (`/proc/self/task/<tid>/schedstat`, Linux); a stall minus
 * that wait is what a request really waited on our loop. Without the file (other systems) the
 * whole stall counts as blocked.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from './core/logger-port';

export interface LoopStall {
  /** When the stall began (ms since the epoch). */
  startedAt: number;
  /** How late the timer fired. */
  wallMs: number;
  /** Of that, the time the thread did not wait for a CPU (our work); equals wallMs without schedstat. */
  blockedMs: number;
}

export interface EventLoopReport {
  /** Milliseconds since start() or the last reset(). */
  sinceMs: number;
  /** Event-loop delay (perf_hooks histogram, 10 ms resolution), wall clock. */
  delay: { maxMs: number; p99Ms: number; meanMs: number };
  /** The longest blocked part of any stall: the longest a request could have waited on our work. */
  longestBlockedMs: number;
  /**
   * The stall that lasted longest by the clock (the one behind delay.maxMs), with its blocked part;
   * kept even when older stalls have left `stalls`.
   */
  longestStall?: LoopStall;
  /** True when run-queue waits are known and subtracted (Linux). */
  schedstat: boolean;
  /** The most recent stalls, oldest first (bounded). */
  stalls: LoopStall[];
}

export interface EventLoopMonitorOptions {
  /** A tick this much later than due counts as a stall (default 50 ms). */
  stallMs?: number;
  /** Tick interval (default 10 ms). */
  tickMs?: number;
  /** Stalls kept for report() (default 200). */
  keep?: number;
  /** A stall blocked this long is logged as a warning (default 200 ms). */
  warnMs?: number;
  logger?: Logger;
}

/** Reads the run-queue wait (ns) of the main thread from one kept-open schedstat file. */
class RunQueueClock {
  private fd?: number;
  private readonly buffer = Buffer.alloc(128);

  constructor() {
    try {
      // The main thread's task id is the process id.
      this.fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  get available(): boolean {
    return this.fd !== undefined;
  }

  /** Nanoseconds this thread has waited on a run queue, or undefined when unknown. */
  waitedNs(): number | undefined {
    if (this.fd === undefined) return undefined;
    try {
      const n = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      // "<on-cpu ns> <run-queue wait ns> <timeslices>"
      const waited = Number(this.buffer.toString('latin1', 0, n).split(' ')[1]);
      return Number.isFinite(waited) ? waited : undefined;
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

export class EventLoopMonitor {
  private readonly stallMs: number;
  private readonly tickMs: number;
  private readonly keep: number;
  private readonly warnMs: number;
  private histogram?: IntervalHistogram;
  private clock?: RunQueueClock;
  private timer?: NodeJS.Timeout;
  private last = 0;
  private lastWaitedNs?: number;
  private since = 0;
  private longestBlockedMs = 0;
  private longestStall?: LoopStall;
  private stalls: LoopStall[] = [];

  constructor(private readonly options: EventLoopMonitorOptions = {}) {
    this.stallMs = options.stallMs ?? 50;
    this.tickMs = options.tickMs ?? 10;
    this.keep = options.keep ?? 200;
    this.warnMs = options.warnMs ?? 200;
  }

  /** Starts watching (idempotent); the timer never keeps the process alive. */
  start(): this {
    if (this.timer) return this;
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.clock = new RunQueueClock();
    this.reset();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    return this;
  }

  /** Forgets what was measured so far. */
  reset(): void {
    this.histogram?.reset();
    this.since = Date.now();
    this.last = performance.now();
    this.lastWaitedNs = this.clock?.waitedNs();
    this.longestBlockedMs = 0;
    this.longestStall = undefined;
    this.stalls = [];
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram?.disable();
    this.clock?.close();
  }

  private tick(): void {
    const now = performance.now();
    const waitedNs = this.clock?.waitedNs();
    const late = now - this.last - this.tickMs;
    if (late > this.stallMs) {
      const waitedMs =
        waitedNs !== undefined && this.lastWaitedNs !== undefined ? (waitedNs - this.lastWaitedNs) / 1e6 : 0;
      const blockedMs = Math.max(0, Math.round(late - waitedMs));
      const stall = { startedAt: Date.now() - Math.round(late), wallMs: Math.round(late), blockedMs };
      this.stalls.push(stall);
      if (this.stalls.length > this.keep) this.stalls.shift();
      this.longestBlockedMs = Math.max(this.longestBlockedMs, blockedMs);
      if (!this.longestStall || stall.wallMs > this.longestStall.wallMs) this.longestStall = stall;
      if (blockedMs >= this.warnMs)
        this.options.logger?.warn({ blockedMs, wallMs: stall.wallMs }, 'event loop blocked');
    }
    this.last = now;
    this.lastWaitedNs = waitedNs;
  }

  report(): EventLoopReport {
    const h = this.histogram;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      sinceMs: Date.now() - this.since,
      delay:
        h && h.count > 0
          ? { maxMs: ms(h.max), p99Ms: ms(h.percentile(99)), meanMs: ms(h.mean) }
          : { maxMs: 0, p99Ms: 0, meanMs: 0 },
      longestBlockedMs: this.longestBlockedMs,
      ...(this.longestStall && { longestStall: this.longestStall }),
      schedstat: this.clock?.available ?? false,
      stalls: [...this.stalls],
    };
  }
}
