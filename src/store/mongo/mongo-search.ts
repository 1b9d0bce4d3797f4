/**
 * MessageSearchStore on MongoDB and FerretDB: an anchored-free, escaped, case-insensitive $regex per
 * word ($text indexes do not exist on FerretDB v1, and Korean words would need a tokenizer anyway),
 * narrowed by resident and date on indexed fields first.
 */
import type { Message } from '../../core/message';
import type { MessageSearchQuery, MessageSearchStore } from '../../core/search-port';
import { fromDoc } from './mapping';
import { MESSAGE_INTERNAL_KEYS, type MessageDoc } from './message-schema';
import type { Models } from './models';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class MongoMessageSearch implements MessageSearchStore {
  constructor(private readonly m: Pick<Models, 'messages'>) {}

  async find(q: MessageSearchQuery): Promise<Message[]> {
    const filter: Record<string, unknown> = {};
    if (q.residentId) filter.residentId = q.residentId;
    if (q.conversationId) filter.conversationId = q.conversationId;
    if (q.from || q.to) filter.createdAt = { ...(q.from && { $gte: q.from }), ...(q.to && { $lt: q.to }) };
    const words = q.words ?? [];
    if (words.length) filter.$and = words.map((w) => ({ 'content.text': { $regex: escapeRegex(w), $options: 'i' } }));
    const docs = await this.m.messages.find(filter).sort({ createdAt: -1, seq: -1 }).limit(q.limit).lean<MessageDoc[]>();
    return docs.map((d) => fromDoc<Message>(d, MESSAGE_INTERNAL_KEYS));
  }
}
