/** The single-instance event bus: synchronous delivery to this process's subscribers. */
import type { EventBus, EventListener, EventMap, EventName, EventOrigin } from '../core/event-port';
import type { Logger } from '../core/logger-port';

/** Shared and frozen: listeners may keep it but never change it. */
const LOCAL: EventOrigin = Object.freeze({ local: true });

export class InProcessEventBus implements EventBus {
  readonly kind: string = 'local';
  private readonly listeners = new Map<EventName, Set<(payload: unknown, origin: EventOrigin) => void>>();

  constructor(private readonly logger?: Logger) {}

  publish<K extends EventName>(event: K, payload: EventMap[K]): void {
    this.deliver(event, payload, LOCAL);
  }

  /** Hands an event to this instance's subscribers (also used by distributed buses for remote events). */
  protected deliver<K extends EventName>(event: K, payload: EventMap[K], origin: EventOrigin): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // A copy: a listener may unsubscribe (or subscribe) while the event is being delivered.
    for (const listener of [...set]) {
      try {
        listener(payload, origin);
      } catch (err) {
        this.logger?.error({ err, event }, 'event subscriber failed');
      }
    }
  }

  subscribe<K extends EventName>(event: K, listener: EventListener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown, origin: EventOrigin) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
