/**
 * MessageStore on MongoDB. Ordering and dedupe are both decided by unique indexes:
 * append reads the highest seq, inserts seq + 1 and retries when another writer took it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DajeongError } from '../../core/errors';
import { deliveryKeyHash } from '../../core/delivery-key';
import { newId } from '../../core/ids';
import type { Message } from '../../core/message';
import type { AppendResult, MessageStore, NewMessage } from '../../core/store-port';
import { isDuplicateKey } from './errors';
import { defined, fromDoc } from './mapping';
import { dedupeKeyOf, MESSAGE_INTERNAL_KEYS, type MessageDoc } from './message-schema';
import type { Models } from './models';

/** Enough for dozens of concurrent writers on one conversation; beyond that something is wrong. */
const MAX_APPEND_TRIES = 60;

const toMessage = (doc: MessageDoc) => fromDoc<Message>(doc, MESSAGE_INTERNAL_KEYS);

export class MongoMessages implements MessageStore {
  constructor(private readonly m: Pick<Models, 'messages' | 'turnRetries' | 'deliveryKeys'>) {}

  async append(input: NewMessage): Promise<AppendResult> {
    const dedupeKey = dedupeKeyOf(input.channel, input.channelMessageId);
    if (dedupeKey) {
      const existing = await this.findByDedupeKey(dedupeKey);
      if (existing) return { message: existing, inserted: false };
    }
    const base = defined({ ...input, dedupeKey, createdAt: input.createdAt ?? new Date() });
    for (let attempt = 0; attempt < MAX_APPEND_TRIES; attempt++) {
      const last = await this.m.messages
        .findOne({ conversationId: input.conversationId })
        .sort({ seq: -1 })
        .select({ seq: 1 })
        .lean<Pick<MessageDoc, 'seq'>>();
      try {
        const created = await this.m.messages.create({ ...base, _id: newId(), seq: (last?.seq ?? 0) + 1 });
        if (input.channelMessageId) await this.rememberDelivery(input.channel, input.channelMessageId, created.createdAt);
        return { message: toMessage(created.toObject<MessageDoc>()), inserted: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Lost either the dedupe key (a retried delivery) or the seq (a concurrent append).
        if (dedupeKey) {
          const existing = await this.findByDedupeKey(dedupeKey);
          if (existing) return { message: existing, inserted: false };
        }
        // Jittered back-off so concurrent writers stop colliding on the same seq.
        await sleep(Math.random() * Math.min(40, 2 ** attempt));
      }
    }
    throw new DajeongError('conflict', `could not append to conversation ${input.conversationId}`, {
      retryable: true,
    });
  }

  async get(id: string): Promise<Message | undefined> {
    const doc = await this.m.messages.findById(id).lean<MessageDoc>();
    return doc ? toMessage(doc) : undefined;
  }

  async listByConversation(
    conversationId: string,
    options: { afterSeq?: number; limit?: number } = {},
  ): Promise<Message[]> {
    const docs = await this.m.messages
      .find({ conversationId, seq: { $gt: options.afterSeq ?? 0 } })
      .sort({ seq: 1 })
      .limit(options.limit ?? 500)
      .lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  async listByResident(residentId: string, options: { limit?: number } = {}): Promise<Message[]> {
    const docs = await this.m.messages
      .find({ residentId })
      .sort({ createdAt: 1, seq: 1, _id: 1 })
      .limit(options.limit ?? 10_000)
      .lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  async markHandled(id: string, at: Date): Promise<void> {
    await this.m.messages.updateOne({ _id: id }, { $set: { handledAt: at } });
  }

  async listUnhandledInbound(since: Date, limit: number): Promise<Message[]> {
    const docs = await this.m.messages
      .find({ direction: 'inbound', handledAt: { $exists: false }, createdAt: { $gte: since } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  async deliveryState(channel: string, channelMessageId: string): Promise<'new' | 'stored' | 'deleted'> {
    const dedupeKey = dedupeKeyOf(channel, channelMessageId);
    if (dedupeKey && (await this.m.messages.exists({ dedupeKey }))) return 'stored';
    return (await this.m.deliveryKeys.exists({ _id: deliveryKeyHash(channel, channelMessageId) })) ? 'deleted' : 'new';
  }

  async forgetDeliveries(before: Date): Promise<number> {
    const result = await this.m.deliveryKeys.deleteMany({ at: { $lt: before } });
    return result.deletedCount;
  }

  private async rememberDelivery(channel: string, channelMessageId: string, at: Date): Promise<void> {
    try {
      await this.m.deliveryKeys.create({ _id: deliveryKeyHash(channel, channelMessageId), at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async claimRetry(messageId: string, round: number, ownerId: string): Promise<boolean> {
    const message = await this.m.messages.findById(messageId, { conversationId: 1 }).lean<Pick<MessageDoc, 'conversationId'>>();
    if (!message) return false;
    try {
      await this.m.turnRetries.create({ _id: `${messageId}:${round}`, messageId, conversationId: message.conversationId, ownerId, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async deleteByConversation(conversationId: string): Promise<number> {
    await this.m.turnRetries.deleteMany({ conversationId });
    const result = await this.m.messages.deleteMany({ conversationId });
    return result.deletedCount;
  }

  private async findByDedupeKey(dedupeKey: string): Promise<Message | undefined> {
    const doc = await this.m.messages.findOne({ dedupeKey }).lean<MessageDoc>();
    return doc ? toMessage(doc) : undefined;
  }
}
