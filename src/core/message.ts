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

/** Text, optionally with buttons to press and links to open (every message the core writes). */
export interface TextContent {
  kind: 'text';
  text: string;
  quickReplies?: QuickReply[];
  links?: LinkRef[];
}

/** One or more photos, with the text sent along as the caption. */
export interface ImageContent {
  kind: 'image';
  images: ImageRef[];
  caption?: string;
  links?: LinkRef[];
}

/** A shared map point, with any text sent along (e.g. a typed address or a venue name). */
export interface LocationContent {
  kind: 'location';
  location: GeoLocation;
  text?: string;
}

/** A pressed button: its payload (see button-payload.ts) and the label shown as the resident's words ('' when the client sent none). */
export interface ButtonPress {
  kind: 'button';
  payload: string;
  text: string;
}

/** What a message carries: one kind, each with the fields that belong to it. */
export type MessageContent = TextContent | ImageContent | LocationContent | ButtonPress;

/**
 * The loose shape platforms hand over and that messages were stored in before contents had a
 * kind: any mix of text, payload, location, images, quick replies and links.
 */
export interface ContentParts {
  text?: string;
  quickReplies?: QuickReply[];
  images?: ImageRef[];
  location?: GeoLocation;
  links?: LinkRef[];
  payload?: string;
}

/**
 * The content the parts make. A payload makes a button press (text = its label, '' when none), else a location
 * (text kept), else images (text = caption), else text. Callers that can receive a location and
 * images at once send them as two messages (a location wins over images here).
 */
export function contentOf(parts: ContentParts): MessageContent {
  const text = parts.text;
  if (parts.payload) return { kind: 'button', payload: parts.payload, text: text ?? '' };
  if (parts.location) return { kind: 'location', location: parts.location, ...(text !== undefined && { text }) };
  if (parts.images?.length) {
    return { kind: 'image', images: parts.images, ...(text !== undefined && { caption: text }), ...(parts.links?.length && { links: parts.links }) };
  }
  return {
    kind: 'text',
    text: text ?? '',
    ...(parts.quickReplies?.length && { quickReplies: parts.quickReplies }),
    ...(parts.links?.length && { links: parts.links }),
  };
}

const KINDS: readonly MessageContent['kind'][] = ['text', 'image', 'location', 'button'];

/**
 * Reads stored content of any age: contents with a kind pass through, older ones (no kind) are
 * rebuilt from their parts. Used at the store boundary (memory and MongoDB).
 */
export function normalizeContent(stored: MessageContent | ContentParts): MessageContent {
  const kind = (stored as { kind?: unknown }).kind;
  if (typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)) return stored as MessageContent;
  return contentOf(stored as ContentParts);
}

/** The content as loose parts (the inverse of contentOf), for flat views such as the app API's. */
export function partsOf(content: MessageContent): ContentParts {
  switch (content.kind) {
    case 'text':
      return content;
    case 'image':
      return {
        images: content.images,
        ...(content.caption !== undefined && { text: content.caption }),
        ...(content.links && { links: content.links }),
      };
    case 'location':
      return { location: content.location, ...(content.text !== undefined && { text: content.text }) };
    case 'button':
      return { payload: content.payload, ...(content.text && { text: content.text }) };
  }
}

/** The words of a message: its text, a button's label, a photo's caption or a location's text ('' when none). */
export function textOf(content: MessageContent): string {
  switch (content.kind) {
    case 'text':
    case 'button':
      return content.text;
    case 'image':
      return content.caption ?? '';
    case 'location':
      return content.text ?? '';
  }
}

/** A text message, with optional buttons and links. */
export function textContent(text: string, extras: { quickReplies?: QuickReply[]; links?: LinkRef[] } = {}): TextContent {
  return {
    kind: 'text',
    text,
    ...(extras.quickReplies?.length && { quickReplies: extras.quickReplies }),
    ...(extras.links?.length && { links: extras.links }),
  };
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
  /** Written by an interpreter invited into the chat (authorId is the interpreter). */
  interpreter?: boolean;
}

/** An outbound message the core wants to send, before it is stored. */
export interface OutboundDraft {
  author: Exclude<Author, 'resident'>;
  authorId?: string;
  content: MessageContent;
  flags?: MessageFlags;
  /**
   * Sent at most once per conversation under this key (e.g. 'welcome'): a second send with the same
   * key, from another instance or a repeated turn, stores and delivers nothing. Decided by the
   * store's unique delivery key, so it holds across instances.
   */
  onceKey?: string;
}
