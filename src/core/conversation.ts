/** Conversation and resident records. */
import type { IntentName } from './intents';
import type { ImageRef, Language } from './message';

/** Who owns the conversation: the bot, the human queue, a counselor, or nobody (closed). */
export type ConversationState = 'bot' | 'queued' | 'assigned' | 'closed';

/** Queue priority, most urgent first. */
export type Priority = 'crisis' | 'bot_failure' | 'request' | 'normal';
export const PRIORITY_ORDER: readonly Priority[] = ['crisis', 'bot_failure', 'request', 'normal'];

/** Lower rank is served first. */
export function priorityRank(priority: Priority): number {
  return PRIORITY_ORDER.indexOf(priority);
}

/** Where a flow's location step points: a shared map point, a typed address, or both. */
export interface FlowLocation {
  latitude?: number;
  longitude?: number;
  address?: string;
}

/** What a feature remembers between turns under its own slot key (e.g. the transit dialogue): text fields. */
export type FeatureState = { readonly [field: string]: string | undefined };

/**
 * A value a guided flow collected for one step, a flag the flow runner keeps for itself, or a
 * feature's state between turns.
 */
export type SlotValue = string | boolean | FlowLocation | ImageRef[] | FeatureState;
export type FlowSlots = Record<string, SlotValue>;

export interface Conversation {
  id: string;
  residentId: string;
  channel: string;
  externalUserId: string;
  language: Language;
  state: ConversationState;
  priority: Priority;
  /** Counselor who owns it while state is 'assigned'. */
  assigneeId?: string;
  /** Increments each time the conversation enters the queue; claims are unique per value. */
  handoffSeq: number;
  /** Values collected by guided flows, by slot name. */
  slots: FlowSlots;
  /** Active guided flow, if any. */
  flow?: { name: string; step: string; retries: number; startedAt: string };
  /** Consecutive turns the bot could not understand. */
  misses: number;
  lastIntent?: IntentName;
  /**
   * The resident is deaf, hard of hearing or speech-impaired (said so, or asked for sign language):
   * counselors answer in text only and never by phone; routing prefers the sign_language skill.
   */
  hearingImpaired?: boolean;
  /** Platform details needed to answer later (e.g. a service URL or callback), merged per inbound. */
  channelContext?: Record<string, unknown>;
  queuedAt?: Date;
  lastInboundAt?: Date;
  lastOutboundAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date;
}

export interface ChannelIdentity {
  channel: string;
  externalUserId: string;
}

/** One person, possibly reachable on several channels. */
export interface Resident {
  id: string;
  identities: ChannelIdentity[];
  displayName?: string;
  locale?: string;
  createdAt: Date;
}
