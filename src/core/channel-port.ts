/** The contract every channel adapter implements; only channels/registry.ts knows concrete ones. */
import type { InboundMessage, Message } from './message';
import type { Logger } from './logger-port';

export interface ChannelCapabilities {
  /** Longest text one platform message may hold. */
  maxTextLength: number;
  /** Most quick-reply buttons the platform shows (0 = none). */
  maxQuickReplies: number;
  /** Longest button label. */
  maxButtonLabel: number;
  images: boolean;
  /**
   * 'push': the gateway sends through the outbox; 'pull': residents read from the store (app API), or
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
}
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
export type RouteHandler = (req: RawRequest) => Promise<RawResponse>;

/** What a channel route checks before its body is read, so hostile bodies cost little. */
export interface RouteOptions {
  /** Largest body accepted, in bytes (default: 1 MB); larger ones get 413 unread. */
  maxBodyBytes?: number;
  /**
   * Runs on the headers alone, before the body is read: a response refuses the request unread
   * (e.g. a missing or malformed token on a platform that sends one with every request).
   */
  precheck?(headers: RawRequest['headers']): RawResponse | undefined;
}

export interface ChannelRuntime {
  /** Stores the message (dedupe), then runs the bot turn in the background. */
  dispatch(inbound: InboundMessage): Promise<DispatchResult>;
  /** Stores and then answers synchronously: waits up to `waitMs` for the bot's replies. */
  dispatchAndWait(inbound: InboundMessage, waitMs: number): Promise<DispatchResult & { replies: Message[]; complete: boolean }>;
  route(method: RouteMethod, path: string, handler: RouteHandler, options?: RouteOptions): void;
  /** Serves a folder of static files (e.g. the web chat widget) under a URL path. */
  serveStatic(urlPath: string, dir: string): void;
  logger: Logger;
  /**
   * Answer-only channels (KakaoTalk answers requests, it cannot push): outbound messages this channel
   * identity has not been shown yet, oldest first, including a just-closed conversation's last replies.
   */
  undelivered?(channel: string, externalUserId: string): Promise<Message[]>;
  /** Answer-only channels: records that these messages were shown (advances each conversation's cursor). */
  markDelivered?(messages: Message[]): Promise<void>;
  /**
   * Answer-only channels: the stored platform context of the identity's conversation whose replies
   * `undelivered` would show (open, else closed in the last 7 days), so the adapter can check that
   * a request may read them. Undefined when there is none.
   */
  channelContext?(channel: string, externalUserId: string): Promise<Record<string, unknown> | undefined>;
  /** Adds an internal note to the conversation for counselors (never sent to the resident). */
  noteForStaff?(conversationId: string, text: string): Promise<void>;
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
