/**
 * Notices a MongoDB server monitor that never finishes a heartbeat. The Node driver (7.8, 7.9)
 * can write a heartbeat to a socket the network has just reset, after Node marked it destroyed
 * but before its 'close' event: the write waits for a 'drain' that never comes, the socket's
 * timeout no longer runs, and the monitor stays in that check for ever. The server then stays
 * Unknown and every operation fails until the process restarts, although the database is back.
 *
 * The driver bounds every heartbeat that can end (connectTimeoutMS, plus heartbeatFrequencyMS for
 * an awaited one), so one outstanding well past that bound is stuck: the watchdog reports it once
 * and the store reopens its connection (MongoStore). It reads only the driver's public heartbeat
 * events.
 */
import type { EventEmitter } from 'node:events';

export interface HeartbeatEvent {
  connectionId: string;
}

export interface MonitorWatchdogOptions {
  /**
   * How long a heartbeat may be outstanding before it counts as stuck: past the driver's own bound,
   * connectTimeoutMS + heartbeatFrequencyMS (an awaited heartbeat is held up to the latter).
   */
  stuckAfterMs: number;
  /** The driver's heartbeatFrequencyMS: how often to look. */
  heartbeatFrequencyMS: number;
  /** Called once per stuck heartbeat; the watchdog waits for it before looking again. */
  onStuck(address: string, outstandingMs: number): Promise<void>;
  now?: () => number;
}

export class MonitorWatchdog {
  /** When each server's outstanding heartbeat started (none while no heartbeat is running). */
  private readonly started = new Map<string, number>();
  private client: EventEmitter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private recovering = false;
  private readonly now: () => number;

  constructor(private readonly options: MonitorWatchdogOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Follows this client's heartbeats (a reopened connection brings a new client). */
  watch(client: EventEmitter): void {
    this.detach();
    this.client = client;
    client.on('serverHeartbeatStarted', this.onStarted);
    client.on('serverHeartbeatSucceeded', this.onEnded);
    client.on('serverHeartbeatFailed', this.onEnded);
  }

  /** Checks on an interval that does not keep the process alive. */
  start(intervalMs = Math.min(1_000, this.options.heartbeatFrequencyMS)): void {
    this.timer ??= setInterval(() => void this.check(), intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.detach();
  }

  /** Reports the first heartbeat outstanding past the bound; at most one recovery at a time. */
  async check(): Promise<void> {
    if (this.recovering) return;
    const now = this.now();
    for (const [address, since] of this.started) {
      if (now - since <= this.options.stuckAfterMs) continue;
      this.recovering = true;
      this.started.clear();
      try {
        await this.options.onStuck(address, now - since);
      } finally {
        this.recovering = false;
      }
      return;
    }
  }

  private readonly onStarted = (event: HeartbeatEvent) => {
    // A streaming monitor starts the next heartbeat as soon as one succeeds: keep the newest start.
    this.started.set(event.connectionId, this.now());
  };

  private readonly onEnded = (event: HeartbeatEvent) => {
    this.started.delete(event.connectionId);
  };

  private detach(): void {
    this.client?.off('serverHeartbeatStarted', this.onStarted);
    this.client?.off('serverHeartbeatSucceeded', this.onEnded);
    this.client?.off('serverHeartbeatFailed', this.onEnded);
    this.client = undefined;
    this.started.clear();
  }
}
