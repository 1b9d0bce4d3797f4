/** outbox + outboxLeases: a lease record per (entry, attempt) decides which worker sends it. */
import { Schema } from 'mongoose';
import type { OutboxEntry } from '../../core/store-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type OutboxDoc = Omit<OutboxEntry, 'id'> & { _id: string };

/** Inserted by the worker that wins attempt `attempt` of `outboxId`; the unique index arbitrates. */
export interface OutboxLeaseDoc {
  _id: string;
  outboxId: string;
  attempt: number;
  workerId: string;
  /** Kept so leases can be deleted together with a conversation's outbox entries. */
  conversationId: string;
  leasedAt: Date;
}

export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: requiredString,
    messageId: requiredString,
    conversationId: requiredString,
    channel: requiredString,
    externalUserId: requiredString,
    status: { type: String, required: true, enum: ['pending', 'sent', 'failed'] },
    attempts: { type: Number, required: true, min: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: String,
    createdAt: { type: Date, required: true },
    sentAt: Date,
  },
  BASE_OPTIONS,
);
outboxSchema.index({ status: 1, nextAttemptAt: 1 }); // due entries
outboxSchema.index({ status: 1, createdAt: 1 }); // listByStatus
outboxSchema.index({ conversationId: 1 });

export const outboxLeaseSchema = new Schema<OutboxLeaseDoc>(
  {
    _id: requiredString,
    outboxId: requiredString,
    attempt: { type: Number, required: true, min: 1 },
    workerId: requiredString,
    conversationId: requiredString,
    leasedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
outboxLeaseSchema.index({ outboxId: 1, attempt: 1 }, { unique: true });
outboxLeaseSchema.index({ conversationId: 1 });
