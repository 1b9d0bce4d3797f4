/**
 * outbox + outboxConversationLeases: one lease record per conversation (unique conversationId)
 * decides which worker sends that conversation's next entry.
 */
import { Schema } from 'mongoose';
import type { OutboxEntry } from '../../core/store-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type OutboxDoc = Omit<OutboxEntry, 'id' | 'seq'> & {
  _id: string;
  /** Missing on entries queued before entries carried their message's seq. */
  seq?: number;
  /** The lease under which the entry was last handed out; marks are guarded by it. */
  leaseToken?: string;
};

/**
 * Inserted by the worker that leases a conversation; the unique index on conversationId lets one
 * worker hold it at a time (an insert is atomic on every MongoDB-wire server, a filtered update is
 * not on FerretDB). Deleted when the entry is marked, or by a taker once it is long expired.
 */
export interface OutboxConversationLeaseDoc {
  /** The lease token. */
  _id: string;
  conversationId: string;
  outboxId: string;
  attempt: number;
  workerId: string;
  leasedAt: Date;
  expiresAt: Date;
}

export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: requiredString,
    messageId: requiredString,
    conversationId: requiredString,
    seq: { type: Number, min: 0 },
    channel: requiredString,
    externalUserId: requiredString,
    status: { type: String, required: true, enum: ['pending', 'sent', 'failed', 'discarded'] },
    attempts: { type: Number, required: true, min: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    createdAt: { type: Date, required: true },
    sentAt: Date,
    reviewedAt: Date,
    leaseToken: String,
  },
  BASE_OPTIONS,
);
outboxSchema.index({ status: 1, nextAttemptAt: 1 }); // due entries
outboxSchema.index({ status: 1, createdAt: 1 }); // listByStatus, oldest pending
outboxSchema.index({ conversationId: 1, status: 1, seq: 1 }); // a conversation's head

export const outboxConversationLeaseSchema = new Schema<OutboxConversationLeaseDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    outboxId: requiredString,
    attempt: { type: Number, required: true, min: 1 },
    workerId: requiredString,
    leasedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
outboxConversationLeaseSchema.index({ conversationId: 1 }, { unique: true });
