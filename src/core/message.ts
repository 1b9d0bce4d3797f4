/** Canonical message shape shared by every channel, the core and the store. */

export type Author = 'resident' | 'bot' | 'counselor' | 'system';
export type Direction = 'inbound' | 'outbound';
export type Language = string; // BCP-47 primary subtag: ko, en, zh, vi, ja, ...

export interface QuickReply {
  /** Text shown on the button. */
  label: string;
  /** Value sent back when pressed; the core reads it before the text. */
  payload: string;
}

export interface ImageRef {
  url: string;
  mimeType?: string;
  caption?: string;
}

export interface GeoLocation {
  latitude: number;
  longitude: number;
  address?: string;
}

export interface LinkRef {
  title: string;
  url: string;
}

/** What a message carries; every field is optional so one shape serves all platforms. */
export interface MessageContent {
  text?: string;
  quickReplies?: QuickReply[];
  images?: ImageRef[];
  location?: GeoLocation;
  links?: LinkRef[];
  /** Button payload the resident pressed (inbound only). */
  payload?: string;
}

/** A message as received from a channel, before it has an id or conversation. */
export interface InboundMessage {
  channel: string;
  /** The platform's id for the sender (chat id, PSID, botUserKey, device id...). */
  externalUserId: string;
  /** The platform's message id, used to drop retried deliveries. */
  channelMessageId: string;
  content: MessageContent;
  /** Locale hint from the platform or app, if any. */
  locale?: string;
  /** When the platform says the message was sent. */
  sentAt?: Date;
  /** Extra platform fields an adapter needs to answer (e.g. Kakao callbackUrl). */
  channelContext?: Record<string, unknown>;
}

/** A stored message. `seq` orders messages within one conversation, gap-free from 1. */
export interface Message {
  id: string;
  conversationId: string;
  residentId: string;
  seq: number;
  channel: string;
  channelMessageId?: string;
  direction: Direction;
  author: Author;
  /** Counselor user id when author is counselor. */
  authorId?: string;
  content: MessageContent;
  language?: Language;
  intent?: string;
  confidence?: number;
  flags?: MessageFlags;
  createdAt: Date;
  /** Set on inbound messages once the bot's turn for them has finished. */
  handledAt?: Date;
  /** On bot replies: the inbound message whose turn produced them (crash recovery checks it). */
  replyToId?: string;
}

export interface MessageFlags {
  crisis?: boolean;
  abusive?: boolean;
  /** Internal counselor note, never sent to the resident. */
  internal?: boolean;
}

/** An outbound message the core wants to send, before it is stored. */
export interface OutboundDraft {
  author: Exclude<Author, 'resident'>;
  authorId?: string;
  content: MessageContent;
  flags?: MessageFlags;
}
