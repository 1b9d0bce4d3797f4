/** The contract every channel adapter implements; only channels/registry.ts knows concrete ones. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Conversation } from './conversation';
import type { EventBus, EventMap } from './event-port';
import type { UploadStream } from './image-upload';
import type { MediaStore } from './media-port';
import type { InboundMessage, Message } from './message';
import type { Logger } from './logger-port';
import type { AppSessionStore, ConversationStore, MessageStore, ResidentStore } from './store-port';

export interface ChannelCapabilities {
  /** Longest text one platform message may hold. */
  maxTextLength: number;
  /** Most quick-reply buttons the platform shows (0 = none). */
  maxQuickReplies: number;
  /** Longest button label. */
  maxButtonLabel: number;
  images: boolean;
  /**
   * 'push': delivery sends through the outbox; 'pull': residents read from the store (app API), or
   * the channel shows undelivered messages in its answer to the resident's next request (KakaoTalk).
   */
  delivery: 'push' | 'pull';
  /** Hours after the resident's last message within which replies may be sent, if limited. */
  replyWindowHours?: number;
  /** Hours a human counselor may still answer (platform human-agent tag), if longer. */
  humanReplyWindowHours?: number;
}

/** Where to send: the conversation's channel identity plus what the adapter stored about it. */
export interface SendTarget {
  channel: string;
  externalUserId: string;
  conversationId: string;
  /** Resident's last inbound message time, for reply windows. */
  lastInboundAt?: Date;
  channelContext?: Record<string, unknown>;
}

/** A platform file downloaded by `ChannelAdapter.fetchMedia`. */
export interface FetchedMedia {
  bytes: Buffer;
  mimeType: string;
}

export interface SendResult {
  /** Platform ids of the messages sent. */
  channelMessageIds: string[];
}

/** Result of handing an inbound message to the core. */
export interface DispatchResult {
  duplicate: boolean;
  messageId: string;
  conversationId: string;
}

export type RouteMethod = 'get' | 'post';
/** A minimal request/response view so adapters do not import express. */
export interface RawRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** Exact body bytes, for signature checks. */
  rawBody: Buffer;
  ip?: string;
  /**
   * Aborted when the client goes away before the answer, or when the service starts shutting down
   * (long-polls then answer at once, and the client polls again on another instance).
   */
  signal?: AbortSignal;
  /** The unread body, on routes registered with `streamBody` (rawBody is then empty). */
  stream?: UploadStream;
}
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
/**
 * Answers one request. A thrown DajeongError becomes its HTTP status with the project's JSON error
 * body `{error: {code, message, fields?}}`; anything else a 500.
 */
export type RouteHandler = (req: RawRequest) => Promise<RawResponse>;

/** One rate limit of a route. */
export interface RateLimitRule {
  perMinute: number;
  /** Routes naming the same bucket share one budget per key. */
  bucket?: string;
  key?: (req: RawRequest) => string | undefined;
  /** Requests this says yes to are not counted (e.g. ones with a valid token). */
  skip?: (req: RawRequest) => boolean | Promise<boolean>;
  message: string;
}

/** What a channel route checks before its body is read, so hostile bodies cost little. */
export interface RouteOptions {
  /** Largest body accepted, in bytes (default: 1 MB); larger ones get 413 unread. */
  maxBodyBytes?: number;
  /**
   * Runs on the headers alone, before the body is read: a response refuses the request unread
   * (e.g. a missing or malformed token on a platform that sends one with every request).
   */
  precheck?(headers: RawRequest['headers']): RawResponse | undefined;
  /** Requests allowed per minute and key (default key: the client address); more are answered 429. */
  rateLimit?: RateLimitRule | RateLimitRule[];
  /**
   * The handler reads the body itself from `req.stream` (e.g. only after authenticating, with its
   * own limit); the host buffers nothing and `maxBodyBytes` does not apply.
   */
  streamBody?: boolean;
}

/** Takes over WebSocket upgrade requests of one path. */
export interface UpgradeHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection it holds (shutdown). */
  close(): Promise<void>;
}

/** What channels may read from the store: conversations and messages, never change them. */
export interface ChannelStoreView {
  conversations: Pick<ConversationStore, 'get' | 'findOpen' | 'list'>;
  messages: Pick<MessageStore, 'get' | 'listByConversation'>;
  /** The resident owning a channel identity (created when new). */
  residents: Pick<ResidentStore, 'findOrCreateByIdentity'>;
}

/** A channel identity opening a conversation, with the platform's or app's locale hint. */
export interface IdentityOpening {
  channel: string;
  externalUserId: string;
  locale?: string;
  /**
   * The chat opens now, before any message (an app or web chat session): a conversation opened by
   * this call is greeted with the welcome at once. Conversations a message opens are greeted in
   * their first turn instead, in the language of that message.
   */
  greet?: boolean;
}

export interface ChannelRuntime {
  /** Stores the message (dedupe), then runs the bot turn in the background. */
  dispatch(inbound: InboundMessage): Promise<DispatchResult>;
  /** Stores and then answers synchronously: waits up to `waitMs` for the bot's replies. */
  dispatchAndWait(inbound: InboundMessage, waitMs: number): Promise<DispatchResult & { replies: Message[]; complete: boolean }>;
  /** The open conversation of a channel identity, opened with the bot when there is none. */
  openConversation(opening: IdentityOpening): Promise<Conversation>;
  route(method: RouteMethod, path: string, handler: RouteHandler, options?: RouteOptions): void;
  /** Serves a folder of static files (e.g. the web chat widget) under a URL path. */
  serveStatic(urlPath: string, dir: string): void;
  /** Hands WebSocket upgrades of `path` to the handler. */
  upgrade(path: string, handler: UpgradeHandler): void;
  logger: Logger;
  /** The service's version (API documents). */
  version: string;
  /** Read-only store access (what was sent, which conversation an identity is in). */
  store: ChannelStoreView;
  /** Merges channel-specific keys (e.g. a delivery cursor) into a conversation's channelContext. */
  saveChannelContext(conversationId: string, patch: Record<string, unknown>): Promise<void>;
  /** Sessions of the resident app API (bearer tokens, stored as hashes). */
  appSessions: AppSessionStore;
  /** Stored-message and other events of every instance. */
  events: Pick<EventBus, 'subscribe'>;
  /** Announces a resident's typing or read signal to counselors (never stored). */
  signal<K extends 'typing' | 'read'>(event: K, payload: EventMap[K]): void;
  /** Photos residents send and read (stored in chunks; see media-port.ts). */
  media: Pick<MediaStore, 'put' | 'get' | 'read'>;
  /** Adds an internal note to the conversation for counselors (never sent to the resident). */
  noteForStaff(conversationId: string, text: string): Promise<void>;
  /** Publishes a metric read when scraped (e.g. the app channel's open long-poll waits). */
  gauge(name: string, help: string, read: () => number): void;
}

/** The enabled channel adapters by name (filled by the composition root). */
export interface ChannelLookup {
  get(name: string): ChannelAdapter | undefined;
}

export interface ChannelAdapter {
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  start(runtime: ChannelRuntime): Promise<void>;
  /** Sends messages; throws DajeongError('channel_send_failed', {retryable}) on failure. */
  send(target: SendTarget, messages: Message[]): Promise<SendResult>;
  /** Optional: told when the conversation enters the human queue (e.g. Bot Framework's handoff.initiate). */
  onEscalated?(target: SendTarget, transcript: Message[]): Promise<void>;
  /**
   * Optional: downloads a file the platform only references (e.g. Telegram's `telegram-file:<id>`
   * image URLs), so staff can see it through an authenticated route without the platform's
   * credentials ever reaching a browser. Undefined when the reference is not this channel's.
   * @throws DajeongError('validation') when the file is larger than `maxBytes`.
   */
  fetchMedia?(ref: string, maxBytes: number): Promise<FetchedMedia | undefined>;
  stop(): Promise<void>;
}
