/**
 * In-process notifications of the handoff that the console pushes over its WebSocket:
 * alerts, presence changes and queue changes. Conversation and message changes use MessageBus.
 */
import { EventEmitter } from 'node:events';
import type { Alert } from '../core/handoff-port';

export interface HandoffEventMap {
  alert: [Alert];
  presence: [{ userId: string }];
  queue: [];
}

export class HandoffEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof HandoffEventMap>(event: K, ...args: HandoffEventMap[K]): void {
    this.emitter.emit(event, ...args);
  }

  /** Subscribes and returns the unsubscribe function. */
  on<K extends keyof HandoffEventMap>(event: K, listener: (...args: HandoffEventMap[K]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void);
  }
}
