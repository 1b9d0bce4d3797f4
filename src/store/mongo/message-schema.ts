/** messages: ordered per conversation by a unique seq, deduplicated by the platform's message id. */
import { Schema } from 'mongoose';
import type { Message } from '../../core/message';
import { BASE_OPTIONS, EMBEDDED_OPTIONS, requiredString } from './schema-options';

/**
 * `dedupeKey` is channel + NUL + channelMessageId, present only when the platform gave an id.
 * One sparse single-field index is used instead of a sparse {channel, channelMessageId} index:
 * MongoDB indexes a compound sparse document when *any* key exists, so every message without a
 * channelMessageId would collide on (channel, null); FerretDB has no partial indexes to avoid it.
 */
export type MessageDoc = Omit<Message, 'id'> & { _id: string; dedupeKey?: string };

/** Internal fields never returned through the port. */
export const MESSAGE_INTERNAL_KEYS = ['dedupeKey'] as const;

export function dedupeKeyOf(channel: string, channelMessageId: string | undefined): string | undefined {
  return channelMessageId ? `${channel}\u0000${channelMessageId}` : undefined;
}

// Arrays default to undefined so absent content fields stay absent (mongoose defaults arrays to []).
const list = (schema: Schema) => ({ type: [schema], default: undefined });

const contentSchema = new Schema(
  {
    text: String,
    quickReplies: list(new Schema({ label: requiredString, payload: requiredString }, EMBEDDED_OPTIONS)),
    images: list(new Schema({ url: requiredString, mimeType: String, caption: String }, EMBEDDED_OPTIONS)),
    location: new Schema(
      {
        latitude: { type: Number, required: true },
        longitude: { type: Number, required: true },
        address: String,
      },
      EMBEDDED_OPTIONS,
    ),
    links: list(new Schema({ title: requiredString, url: requiredString }, EMBEDDED_OPTIONS)),
    payload: String,
  },
  EMBEDDED_OPTIONS,
);

const flagsSchema = new Schema({ crisis: Boolean, abusive: Boolean, internal: Boolean }, EMBEDDED_OPTIONS);

export const messageSchema = new Schema<MessageDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    residentId: requiredString,
    seq: { type: Number, required: true, min: 1 },
    channel: requiredString,
    channelMessageId: String,
    dedupeKey: String,
    direction: { type: String, required: true, enum: ['inbound', 'outbound'] },
    author: { type: String, required: true, enum: ['resident', 'bot', 'counselor', 'system'] },
    authorId: String,
    content: { type: contentSchema, required: true },
    language: String,
    intent: String,
    confidence: Number,
    flags: flagsSchema,
    createdAt: { type: Date, required: true },
    handledAt: Date,
    replyToId: String,
  },
  BASE_OPTIONS,
);
messageSchema.index({ conversationId: 1, seq: 1 }, { unique: true }); // ordering, decided by insert
messageSchema.index({ dedupeKey: 1 }, { unique: true, sparse: true }); // retried deliveries
messageSchema.index({ residentId: 1, createdAt: 1 }); // privacy export
messageSchema.index({ direction: 1, createdAt: 1 }); // crash recovery of unhandled inbound

/** One claimed re-run of an unhandled turn: the _id `<messageId>:<round>` lets one instance insert it. */
export interface TurnRetryDoc {
  _id: string;
  messageId: string;
  conversationId: string;
  ownerId: string;
  at: Date;
}

export const turnRetrySchema = new Schema<TurnRetryDoc>(
  {
    _id: requiredString,
    messageId: requiredString,
    conversationId: requiredString,
    ownerId: requiredString,
    at: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
turnRetrySchema.index({ conversationId: 1 }); // deleted with the conversation

/** A platform delivery seen once (hashed channel + message id); kept after the message is deleted. */
export interface DeliveryKeyDoc {
  _id: string;
  at: Date;
}

export const deliveryKeySchema = new Schema<DeliveryKeyDoc>({ _id: requiredString, at: { type: Date, required: true } }, BASE_OPTIONS);
deliveryKeySchema.index({ at: 1 }); // the retention sweep forgets old keys
