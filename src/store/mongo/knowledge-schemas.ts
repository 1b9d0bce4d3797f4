/**
 * Collections of the knowledge-base issue: tickets, knowledgeVersions, notices, unanswered.
 * Unique indexes decide every race (ticket references, version numbers, unanswered keys).
 */
import { Schema } from 'mongoose';
import type { KnowledgeVersion } from '../../core/knowledge-port';
import { NOTICE_SEVERITIES, type Notice } from '../../core/notice-port';
import { TICKET_STATUSES, type Ticket } from '../../core/ticket-port';
import type { UnansweredItem } from '../../core/unanswered-port';
import { BASE_OPTIONS, EMBEDDED_OPTIONS, requiredString } from './schema-options';

/** `seq` is the reference's day sequence as a number, so the highest sorts right past 9999. */
export type TicketDoc = Omit<Ticket, 'id'> & { _id: string; seq: number };
export const TICKET_INTERNAL_KEYS = ['seq'] as const;

const ticketEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    status: { type: String, required: true, enum: [...TICKET_STATUSES] },
    note: String,
    actor: requiredString,
  },
  EMBEDDED_OPTIONS,
);

export const ticketSchema = new Schema<TicketDoc>(
  {
    _id: requiredString,
    reference: requiredString,
    seq: { type: Number, required: true, min: 1 },
    category: requiredString,
    status: { type: String, required: true, enum: [...TICKET_STATUSES] },
    residentId: requiredString,
    conversationId: requiredString,
    channel: requiredString,
    externalUserId: requiredString,
    language: requiredString,
    location: new Schema({ latitude: Number, longitude: Number, address: String }, EMBEDDED_OPTIONS),
    description: { type: String, required: true },
    photos: [new Schema({ url: requiredString, mimeType: String, caption: String }, EMBEDDED_OPTIONS)],
    history: [ticketEventSchema],
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
ticketSchema.index({ reference: 1 }, { unique: true }); // one ticket per reference
ticketSchema.index({ status: 1, createdAt: -1 }); // staff list by status
ticketSchema.index({ category: 1, createdAt: -1 });
ticketSchema.index({ residentId: 1, createdAt: -1 }); // "my tickets", privacy deletion
ticketSchema.index({ status: 1, updatedAt: 1 }); // retention of finished tickets

export type KnowledgeVersionDoc = KnowledgeVersion & { _id: string };

export const knowledgeVersionSchema = new Schema<KnowledgeVersionDoc>(
  {
    _id: requiredString,
    kind: { type: String, required: true, enum: ['faq', 'intent'] },
    key: requiredString,
    version: { type: Number, required: true, min: 1 },
    doc: Schema.Types.Mixed,
    deleted: { type: Boolean, required: true },
    actor: requiredString,
    note: String,
    at: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
knowledgeVersionSchema.index({ kind: 1, key: 1, version: 1 }, { unique: true }); // one writer per version

export type NoticeDoc = Omit<Notice, 'id'> & { _id: string };

export const noticeSchema = new Schema<NoticeDoc>(
  {
    _id: requiredString,
    title: { type: Schema.Types.Mixed, required: true },
    body: { type: Schema.Types.Mixed, required: true },
    intents: { type: [String], required: true },
    region: String,
    severity: { type: String, required: true, enum: [...NOTICE_SEVERITIES] },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    createdBy: requiredString,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
noticeSchema.index({ endsAt: 1, startsAt: -1 });

export type UnansweredDoc = Omit<UnansweredItem, 'id'> & { _id: string };

export const unansweredSchema = new Schema<UnansweredDoc>(
  {
    _id: requiredString,
    key: requiredString,
    text: requiredString,
    language: requiredString,
    count: { type: Number, required: true, min: 0 },
    reasons: new Schema(
      { low_confidence: { type: Number, required: true }, not_helpful: { type: Number, required: true } },
      EMBEDDED_OPTIONS,
    ),
    lastIntent: String,
    lastFaqId: String,
    status: { type: String, required: true, enum: ['open', 'resolved', 'dismissed'] },
    resolution: new Schema(
      {
        kind: { type: String, required: true, enum: ['faq', 'intent_example', 'dismissed'] },
        target: String,
        actor: requiredString,
        at: { type: Date, required: true },
      },
      EMBEDDED_OPTIONS,
    ),
    firstAt: { type: Date, required: true },
    lastAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
unansweredSchema.index({ key: 1 }, { unique: true }); // one item per normalised text
unansweredSchema.index({ status: 1, count: -1, lastAt: -1 }); // the review list

/** Who asked an unanswered item how often; `_id` is itemId + ':' + residentId. */
export interface UnansweredAskerDoc {
  _id: string;
  itemId: string;
  residentId: string;
  count: number;
  lastAt: Date;
}

export const unansweredAskerSchema = new Schema<UnansweredAskerDoc>(
  {
    _id: requiredString,
    itemId: requiredString,
    residentId: requiredString,
    count: { type: Number, required: true, min: 0 },
    lastAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
unansweredAskerSchema.index({ residentId: 1 }); // privacy export and deletion
unansweredAskerSchema.index({ itemId: 1 });
