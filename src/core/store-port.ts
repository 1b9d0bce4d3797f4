/**
 * Storage ports. Every implementation (memory, MongoDB) must pass test/store/store-contract.ts.
 * Contested changes are decided by inserting under a unique key (claims, leases), never by
 * filter-guarded updates alone, because not every MongoDB-wire server applies those atomically.
 */
import type { ChannelIdentity, Conversation, Resident } from './conversation';
import type { KnowledgeStore } from './knowledge-port';
import type { Message } from './message';
import type { HandoffStores } from './handoff-port';
import type { UserStores } from './user-port';
import type { NoticeStore } from './notice-port';
import type { TicketStore } from './ticket-port';
import type { UnansweredStore } from './unanswered-port';
import type { CannedAnswerStore } from './canned-port';
import type { MediaStore } from './media-port';
import type { MessageSearchStore } from './search-port';
import type { QaStore } from './qa-port';
import type { InterpreterStore } from './interpreter-port';

export interface ResidentStore {
  /** Returns the resident owning this channel identity, creating one when new. */
  findOrCreateByIdentity(identity: ChannelIdentity, init?: { locale?: string }): Promise<Resident>;
  get(id: string): Promise<Resident | undefined>;
  /** Adds another channel identity to a resident (cross-channel linking). */
  linkIdentity(residentId: string, identity: ChannelIdentity): Promise<Resident>;
  delete(id: string): Promise<void>;
}

export type NewConversation = Omit<Conversation, 'id' | 'createdAt' | 'updatedAt' | 'handoffSeq' | 'misses' | 'slots'> &
  Partial<Pick<Conversation, 'slots' | 'misses' | 'handoffSeq'>>;

export type ConversationPatch = Partial<Omit<Conversation, 'id' | 'residentId' | 'createdAt'>>;

export interface ConversationQuery {
  states?: Conversation['state'][];
  assigneeId?: string;
  residentId?: string;
  limit?: number;
}

export interface ConversationStore {
  /**
   * Creates a conversation. At most one conversation per channel identity may be open (not closed):
   * creating a second one rejects with code 'conflict' (two instances racing for one resident).
   */
  create(input: NewConversation): Promise<Conversation>;
  get(id: string): Promise<Conversation | undefined>;
  /** The newest conversation of this channel identity that is not closed. */
  findOpen(channel: string, externalUserId: string): Promise<Conversation | undefined>;
  /** The newest conversation of this channel identity, closed or not (what a new one carries on). */
  findLatest(channel: string, externalUserId: string): Promise<Conversation | undefined>;
  /** Applies a patch and returns the updated record (last write wins on plain fields). */
  update(id: string, patch: ConversationPatch): Promise<Conversation>;
  list(query: ConversationQuery): Promise<Conversation[]>;
  /**
   * Claims ownership of one queued episode (conversationId + handoffSeq) for `ownerId`.
   * Exactly one concurrent caller per key gets true.
   */
  claim(conversationId: string, handoffSeq: number, ownerId: string): Promise<boolean>;
  /** Closed conversations whose closedAt is older than the cutoff (retention sweep). */
  listClosedBefore(cutoff: Date, limit: number): Promise<Conversation[]>;
  delete(id: string): Promise<void>;
}

export type NewMessage = Omit<Message, 'id' | 'seq' | 'createdAt'> & { createdAt?: Date };

export interface AppendResult {
  message: Message;
  /** False when a message with the same channel + channelMessageId already existed. */
  inserted: boolean;
}

export interface MessageStore {
  /** Stores a message with the next seq of its conversation; dedupes on channel + channelMessageId. */
  append(input: NewMessage): Promise<AppendResult>;
  get(id: string): Promise<Message | undefined>;
  /** Messages with seq > afterSeq, ascending. */
  listByConversation(conversationId: string, options?: { afterSeq?: number; limit?: number }): Promise<Message[]>;
  listByResident(residentId: string, options?: { limit?: number }): Promise<Message[]>;
  markHandled(id: string, at: Date): Promise<void>;
  /** Inbound messages stored but never handled (crash recovery), oldest first. */
  listUnhandledInbound(since: Date, limit: number): Promise<Message[]>;
  /**
   * Claims the re-run of an unhandled message's turn for one retry round (by a unique insert), so
   * that of several instances retrying after an outage exactly one runs it per round.
   */
  claimRetry(message: Pick<Message, 'id' | 'conversationId'>, round: number, ownerId: string): Promise<boolean>;
  /**
   * Whether a platform message id was seen: 'stored' (its message exists), 'deleted' (it was stored
   * once and the message is gone, e.g. by retention: a replay must not store it again) or 'new'.
   * The key outlives the message, hashed, until `forgetDeliveries`.
   */
  deliveryState(channel: string, channelMessageId: string): Promise<'new' | 'stored' | 'deleted'>;
  /** Drops delivery keys recorded before `before` (the retention sweep). */
  forgetDeliveries(before: Date): Promise<number>;
  deleteByConversation(conversationId: string): Promise<number>;
}

export interface AppSession {
  tokenHash: string;
  residentId: string;
  conversationId: string;
  deviceId: string;
  createdAt: Date;
  /** Last request with this token (refreshed at most hourly); idle sessions expire. */
  lastSeenAt?: Date;
}

export interface AppSessionStore {
  create(session: AppSession): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<AppSession | undefined>;
  /** Points every session of this resident at a new conversation (after a close). */
  repoint(residentId: string, conversationId: string): Promise<void>;
  /** The resident's sessions (privacy export); callers must not expose token hashes. */
  listByResident(residentId: string): Promise<AppSession[]>;
  deleteByResident(residentId: string): Promise<number>;
  /** Records use of a session (idle expiry counts from here). */
  touch(tokenHash: string, at: Date): Promise<void>;
  /** Sessions last used (or, never used, created) before the cutoff, oldest first. */
  listIdleBefore(cutoff: Date, limit: number): Promise<AppSession[]>;
  /** Ends one session: its token stops working. */
  delete(tokenHash: string): Promise<void>;
}

/**
 * pending: waiting or being sent; sent: delivered; failed: given up (a permanent platform error or
 * too many attempts), kept for supervisors to retry or discard; discarded: a supervisor gave it up.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'discarded';

export interface OutboxEntry {
  id: string;
  messageId: string;
  conversationId: string;
  /** The message's seq in its conversation: entries of one conversation go out in this order. */
  seq: number;
  channel: string;
  externalUserId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
  /** When a supervisor last retried or discarded it. */
  reviewedAt?: Date;
}

/** Proof that one worker is the only sender of a conversation's outbox until `expiresAt`. */
export interface OutboxLease {
  /** Unique per acquisition. */
  token: string;
  expiresAt: Date;
}

/** An entry handed to one worker, with the lease on its conversation. */
export type LeasedOutboxEntry = OutboxEntry & { lease: OutboxLease };

export type NewOutboxEntry = Pick<OutboxEntry, 'messageId' | 'conversationId' | 'channel' | 'externalUserId'> &
  Partial<Pick<OutboxEntry, 'seq'>>;

/** Figures for metrics and the supervisor view. */
export interface OutboxSummary {
  pending: number;
  failed: number;
  /** createdAt of the oldest pending entry, if any. */
  oldestPendingAt?: Date;
}

export interface OutboxStore {
  /** Queues a message for sending. Without `seq`, the store reads it from the message. */
  enqueue(input: NewOutboxEntry): Promise<OutboxEntry>;
  /**
   * Leases, for up to `limit` conversations, the oldest pending entry of each when it is due, and
   * increments its attempt counter. A conversation is leased to one worker at a time, until that
   * worker marks the entry or the lease expires (a crashed worker), so each conversation's entries
   * go out one at a time and in seq order. An entry waiting for its retry holds back the later
   * entries of its conversation; one given up ('failed') no longer does.
   */
  leaseDue(now: Date, limit: number, workerId: string): Promise<LeasedOutboxEntry[]>;
  /** Extends the lease while sending; returns the new expiry, or undefined when the lease was lost. */
  renewLease(entry: LeasedOutboxEntry, now: Date): Promise<Date | undefined>;
  /** Marks the entry sent and ends the lease; false (and nothing changed) when the lease was lost. */
  markSent(entry: LeasedOutboxEntry, at: Date): Promise<boolean>;
  /**
   * As markSent, but keeps the conversation's lease (renewed) for its next entry when that one is due
   * at `at`, and returns it leased, its attempt counter incremented. Without a due next entry the
   * lease ends as in markSent. A backlog then goes out without a new lease race per reply.
   */
  markSentAndLeaseNext(entry: LeasedOutboxEntry, at: Date): Promise<{ marked: boolean; next?: LeasedOutboxEntry }>;
  /**
   * Schedules another try at `retryAt`, or gives up for good ('failed') when it is undefined, and
   * ends the lease; false (and nothing changed) when the lease was lost.
   */
  markFailed(entry: LeasedOutboxEntry, error: string, retryAt?: Date): Promise<boolean>;
  get(id: string): Promise<OutboxEntry | undefined>;
  /** Entries with this status, oldest first. */
  listByStatus(status: OutboxStatus, limit: number): Promise<OutboxEntry[]>;
  /** Pending entries that failed at least once and wait for their next try, oldest first. */
  listRetrying(limit: number): Promise<OutboxEntry[]>;
  /** Supervisor: sends a failed entry again (pending, attempts from zero). Undefined unless it was failed. */
  retry(id: string, now: Date): Promise<OutboxEntry | undefined>;
  /** Supervisor: gives a failed entry up for good. Undefined unless it was failed. */
  discard(id: string, now: Date): Promise<OutboxEntry | undefined>;
  summary(): Promise<OutboxSummary>;
  deleteByConversation(conversationId: string): Promise<number>;
}

export interface AuditEvent {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

export interface AuditStore {
  record(event: Omit<AuditEvent, 'id' | 'at'> & { at?: Date }): Promise<AuditEvent>;
  list(query: { subject?: string; actor?: string; limit?: number }): Promise<AuditEvent[]>;
}

/** The storage port the core depends on. Later issues add tickets, users, surveys, FAQ edits. */
export interface Store extends UserStores, HandoffStores {
  readonly kind: 'memory' | 'mongodb';
  /** True when data survives a restart; false for the embedded in-memory store. */
  readonly durable: boolean;
  residents: ResidentStore;
  conversations: ConversationStore;
  messages: MessageStore;
  appSessions: AppSessionStore;
  outbox: OutboxStore;
  audit: AuditStore;
  /** Civil-complaint tickets (src/core/ticket-port.ts). */
  tickets: TicketStore;
  /** Versioned FAQ entries and intent-example edits (src/core/knowledge-port.ts). */
  knowledge: KnowledgeStore;
  /** Time-boxed notices (src/core/notice-port.ts). */
  notices: NoticeStore;
  /** Messages the bot could not answer (src/core/unanswered-port.ts). */
  unanswered: UnansweredStore;
  /** Photos sent by residents and counselors, stored in chunks (src/core/media-port.ts). */
  media: MediaStore;
  /** Counselors' personal and team canned answers (src/core/canned-port.ts). */
  cannedAnswers: CannedAnswerStore;
  /** Staff search over messages (src/core/search-port.ts). */
  messageSearch: MessageSearchStore;
  /** Quality-monitoring reviews of closed chats (src/core/qa-port.ts). */
  qaReviews: QaStore;
  /** Interpreters invited into chats (src/core/interpreter-port.ts). */
  interpreters: InterpreterStore;
  /** Resolves when the store can serve reads; false while disconnected. */
  healthy(): Promise<boolean>;
  /** Times this process reopened its database connection because the driver hung (none in memory). */
  connectionReopens?(): number;
  close(): Promise<void>;
}
