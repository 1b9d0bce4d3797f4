/** In-process notifications of stored messages and conversation changes (WebSocket, long-poll, console). */
import { EventEmitter } from 'node:events';
import type { Conversation } from '../core/conversation';
import type { Message } from '../core/message';

export interface BusEvents {
  message: [Message];
  conversation: [Conversation, { reason: string }];
}

export class MessageBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open WebSocket and long-poll subscribes; the default cap of 10 is far too low.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof BusEvents>(event: K, ...args: BusEvents[K]): void {
    this.emitter.emit(event, ...args);
  }

  /** Subscribes and returns the unsubscribe function. */
  on<K extends keyof BusEvents>(event: K, listener: (...args: BusEvents[K]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void);
  }
}
