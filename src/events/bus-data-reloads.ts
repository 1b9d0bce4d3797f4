/**
 * DataReloads over the EventBus: `announce` publishes a `reload` event; followers run on `reload`
 * events from other instances (this instance already rebuilt for its own edit) and on `resync`
 * (the bus may have lost some), one run at a time per follower with at most one queued behind it.
 */
import type { EventBus, ReloadTopic } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import type { DataReloads } from '../core/reload-port';

interface Follower {
  topic: ReloadTopic;
  reload: () => Promise<void> | void;
  running?: Promise<void>;
  /** Another announcement arrived while running: run once more afterwards. */
  again: boolean;
}

export class BusDataReloads implements DataReloads {
  private readonly followers = new Set<Follower>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly bus: Pick<EventBus, 'publish' | 'subscribe'>,
    private readonly logger?: Logger,
  ) {
    this.unsubscribe = [
      bus.subscribe('reload', ({ topic }, origin) => {
        if (origin.local) return;
        for (const f of this.followers) if (f.topic === topic) this.run(f);
      }),
      bus.subscribe('resync', () => {
        for (const f of this.followers) this.run(f);
      }),
    ];
  }

  announce(topic: ReloadTopic): void {
    this.bus.publish('reload', { topic });
  }

  follow(topic: ReloadTopic, reload: () => Promise<void> | void): () => void {
    const follower: Follower = { topic, reload, again: false };
    this.followers.add(follower);
    return () => {
      this.followers.delete(follower);
    };
  }

  /** Resolves when every run under way (and any queued behind it) has finished; for shutdown and tests. */
  async settle(): Promise<void> {
    while ([...this.followers].some((f) => f.running)) {
      await Promise.all([...this.followers].map((f) => f.running));
    }
  }

  /** Stops following (runs under way finish on their own). */
  close(): void {
    for (const off of this.unsubscribe) off();
    this.followers.clear();
  }

  private run(f: Follower): void {
    if (f.running) {
      f.again = true;
      return;
    }
    f.running = (async () => {
      do {
        f.again = false;
        try {
          await f.reload();
          this.logger?.info({ topic: f.topic }, 'reloaded after a change on another instance');
        } catch (err) {
          // The data stays as it was; the next announcement (or a restart) tries again.
          this.logger?.error({ err, topic: f.topic }, 'reload after a change on another instance failed');
        }
      } while (f.again && this.followers.has(f));
      f.running = undefined;
    })();
  }
}
