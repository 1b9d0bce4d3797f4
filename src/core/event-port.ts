/**
 * Events every instance must hear about: stored messages (resident streams and long-polls, the
 * console), conversation changes, the human queue, alerts, presence, and data reloads (FAQ, intents,
 * notices...). In-process by default; with REDIS_URL an implementation also carries them to every
 * other instance, so any instance can serve any resident or counselor.
 *
 * Contract (checked by test/events/event-bus-contract.ts against every implementation):
 *  - `publish` delivers to this instance's subscribers synchronously, in publish order, then to
 *    other instances' subscribers (once each, in publish order per publisher);
 *  - payloads are plain data (JSON with Dates); subscribers on other instances receive equal values;
 *  - a throwing subscriber never stops delivery to the others and never reaches the publisher.
 */
import type { Conversation } from './conversation';
import type { Alert } from './handoff-port';
import type { Message } from './message';

/** What a reload event says changed; every instance reloads that data from the store. */
export type ReloadTopic = 'faq' | 'intents' | 'notices' | 'flows' | 'canned' | 'transit';

export interface EventMap {
  /** A message was stored (inbound or outbound, internal notes included). */
  message: Message;
  /** A conversation changed state, priority, owner or flags. */
  conversation: { conversation: Conversation; reason: string };
  /** The human queue changed in a way not carried by a conversation event. */
  queue: Record<string, never>;
  alert: Alert;
  presence: { userId: string };
  reload: { topic: ReloadTopic; version?: string };
  /** Someone is writing (or stopped writing) in a conversation; short-lived, never stored. */
  typing: TypingEvent;
  /** Someone has read a conversation up to a message. */
  read: ReadEvent;
}

/** Who writes or reads: the resident, a counselor (with their user id) or the bot. */
export type Participant = 'resident' | 'counselor' | 'bot';

export interface TypingEvent {
  conversationId: string;
  who: Participant;
  userId?: string;
  typing: boolean;
}

export interface ReadEvent {
  conversationId: string;
  who: Exclude<Participant, 'bot'>;
  userId?: string;
  /** Every message with seq <= upToSeq has been seen. */
  upToSeq: number;
}

export type EventName = keyof EventMap;
export type EventListener<K extends EventName> = (payload: EventMap[K]) => void;

export interface EventBus {
  /** Where events go beyond this process: 'local' (single instance) or e.g. 'redis'. */
  readonly kind: string;
  publish<K extends EventName>(event: K, payload: EventMap[K]): void;
  /** Subscribes and returns the unsubscribe function. */
  subscribe<K extends EventName>(event: K, listener: EventListener<K>): () => void;
  /** False while the connection to other instances is down (events then stay local). */
  healthy(): boolean;
  close(): Promise<void>;
}
