/**
 * Watching a service process's event loop from outside and inside: a poller that hits /healthz
 * continuously, and the service's own monitor (GET /healthz/event-loop). Used by the event-loop
 * test (LOOP_REPORT=1 prints each phase's figures).
 */
import type { ChildProcess } from 'node:child_process';
import type { EventLoopReport } from '../../src/event-loop-monitor';
import { describeExit, hasExited } from './child-exit';

export interface PollSummary {
  polls: number;
  /** Requests that failed or answered other than 200 after the service first answered. */
  failures: string[];
  /** Slowest /healthz round trip, wall clock (includes a busy machine's scheduling delays). */
  slowestMs: number;
  /** Round trips over 200 ms. */
  over200: number;
}

/** Polls GET /healthz back to back (20 ms apart) until stop(). Refused connections before the first answer are start-up, not failures. */
export class HealthPoller {
  private running = true;
  private answered = false;
  /** The request in flight; stop() aborts it, so a failing test does not wait out a blocked loop. */
  private inFlight?: AbortController;
  private summary: PollSummary = { polls: 0, failures: [], slowestMs: 0, over200: 0 };
  private readonly done: Promise<void>;

  constructor(private readonly url: string) {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      try {
        this.inFlight = new AbortController();
        const res = await fetch(`${this.url}/healthz`, { signal: this.inFlight.signal });
        await res.arrayBuffer();
        const ms = performance.now() - started;
        if (res.status !== 200) this.summary.failures.push(`status ${res.status}`);
        this.answered = true;
        this.summary.polls++;
        this.summary.slowestMs = Math.max(this.summary.slowestMs, Math.round(ms));
        if (ms > 200) this.summary.over200++;
      } catch (err) {
        if (this.answered && this.running) this.summary.failures.push(String(err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The figures so far, and starts a new window. */
  take(): PollSummary {
    const out = this.summary;
    this.summary = { polls: 0, failures: [], slowestMs: 0, over200: 0 };
    return out;
  }

  async stop(): Promise<PollSummary> {
    this.running = false;
    this.inFlight?.abort();
    await this.done;
    return this.take();
  }
}

/** The service's own event-loop report; `reset` starts its next window. */
export async function loopReport(url: string, reset = false): Promise<EventLoopReport> {
  const res = await fetch(`${url}/healthz/event-loop${reset ? '?reset=1' : ''}`);
  if (res.status !== 200) throw new Error(`/healthz/event-loop answered ${res.status}`);
  return (await res.json()) as EventLoopReport;
}

/** A one-line account of a report, for messages and benchmarks. */
export function describeLoop(report: EventLoopReport, poll?: PollSummary): string {
  const worst = [...report.stalls]
    .sort((a, b) => b.blockedMs - a.blockedMs)
    .slice(0, 3)
    .map((s) => `${s.blockedMs}/${s.wallMs} ms`)
    .join(', ');
  return (
    `longest blocked ${report.longestBlockedMs} ms; loop delay max ${report.delay.maxMs} ms, ` +
    `p99 ${report.delay.p99Ms} ms over ${Math.round(report.sinceMs / 1000)} s; worst stalls (blocked/wall) ${worst || 'none'}` +
    (poll
      ? `; /healthz: ${poll.polls} polls, slowest ${poll.slowestMs} ms, ${poll.over200} over 200 ms, ${poll.failures.length} failed`
      : '')
  );
}

/**
 * Waits until `ready()` is true, calling `check()` every couple of seconds on the way (to fail as
 * soon as the loop has been blocked, instead of after a long start).
 */
export async function waitUntil(
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; check?: () => Promise<void>; child?: ChildProcess; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastCheck = 0;
  while (Date.now() < deadline) {
    if (options.child && hasExited(options.child))
      throw new Error(`service exited (${describeExit(options.child)}) while waiting for ${options.what}`);
    if (await ready().catch(() => false)) return;
    if (options.check && Date.now() - lastCheck > 2000) {
      lastCheck = Date.now();
      await options.check();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${options.what}`);
}
