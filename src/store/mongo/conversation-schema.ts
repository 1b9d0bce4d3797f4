/** conversations + claims (one record per claimed handoff episode). */
import { Schema } from 'mongoose';
import { PRIORITY_ORDER, type Conversation } from '../../core/conversation';
import { BASE_OPTIONS, EMBEDDED_OPTIONS, requiredString } from './schema-options';

/**
 * `openKey` is channel + NUL + externalUserId while the conversation is not closed, absent once
 * closed. Its sparse unique index enforces "at most one open conversation per channel identity"
 * (FerretDB has no partial indexes, and a read-then-insert check would race).
 */
export type ConversationDoc = Omit<Conversation, 'id'> & { _id: string; openKey?: string };

/** Internal fields never returned through the port. */
export const CONVERSATION_INTERNAL_KEYS = ['openKey'] as const;

export function openKeyOf(channel: string, externalUserId: string): string {
  return `${channel}\u0000${externalUserId}`;
}

/** A claim; the unique {conversationId, handoffSeq} index lets exactly one claimer insert it. */
export interface ClaimDoc {
  _id: string;
  conversationId: string;
  handoffSeq: number;
  ownerId: string;
  at: Date;
}

const flowSchema = new Schema(
  {
    name: requiredString,
    step: requiredString,
    retries: { type: Number, required: true, min: 0 },
    startedAt: requiredString,
  },
  EMBEDDED_OPTIONS,
);

export const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: requiredString,
    residentId: requiredString,
    channel: requiredString,
    externalUserId: requiredString,
    language: requiredString,
    state: { type: String, required: true, enum: ['bot', 'queued', 'assigned', 'closed'] },
    priority: { type: String, required: true, enum: [...PRIORITY_ORDER] },
    assigneeId: String,
    handoffSeq: { type: Number, required: true, min: 0 },
    slots: { type: Schema.Types.Mixed, default: () => ({}) },
    flow: flowSchema,
    misses: { type: Number, required: true, min: 0 },
    lastIntent: String,
    hearingImpaired: Boolean,
    channelContext: Schema.Types.Mixed,
    openKey: String,
    queuedAt: Date,
    lastInboundAt: Date,
    lastOutboundAt: Date,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    closedAt: Date,
  },
  BASE_OPTIONS,
);
conversationSchema.index({ openKey: 1 }, { unique: true, sparse: true }); // one open per identity
conversationSchema.index({ state: 1, priority: 1, queuedAt: 1 }); // the handoff queue
conversationSchema.index({ assigneeId: 1, state: 1 }); // a counselor's conversations
conversationSchema.index({ channel: 1, externalUserId: 1, state: 1 }); // findOpen on every inbound
conversationSchema.index({ residentId: 1, createdAt: 1 }); // privacy export/delete
conversationSchema.index({ state: 1, closedAt: 1 }); // retention sweep

export const claimSchema = new Schema<ClaimDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    handoffSeq: { type: Number, required: true },
    ownerId: requiredString,
    at: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
claimSchema.index({ conversationId: 1, handoffSeq: 1 }, { unique: true });
