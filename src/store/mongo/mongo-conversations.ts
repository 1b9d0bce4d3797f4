/** ConversationStore on MongoDB; claims are decided by inserting into `claims` (unique per episode). */
import type { Conversation } from '../../core/conversation';
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type {
  ConversationPatch,
  ConversationQuery,
  ConversationStore,
  NewConversation,
} from '../../core/store-port';
import { CONVERSATION_INTERNAL_KEYS, openKeyOf, type ConversationDoc } from './conversation-schema';
import { isDuplicateKey } from './errors';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

// Fields a patch may never change, even if a caller bypasses the type.
const IMMUTABLE = new Set(['id', '_id', 'residentId', 'createdAt']);

const toConversation = (doc: ConversationDoc) => fromDoc<Conversation>(doc, CONVERSATION_INTERNAL_KEYS);
const openConflict = () =>
  new DajeongError('conflict', 'an open conversation exists for this channel identity');

export class MongoConversations implements ConversationStore {
  constructor(private readonly m: Pick<Models, 'conversations' | 'claims'>) {}

  async create(input: NewConversation): Promise<Conversation> {
    const now = new Date();
    const doc: ConversationDoc = {
      slots: {},
      misses: 0,
      handoffSeq: 0,
      ...defined(input),
      _id: newId(),
      createdAt: now,
      updatedAt: now,
    };
    if (doc.state !== 'closed') doc.openKey = openKeyOf(doc.channel, doc.externalUserId);
    try {
      const created = await this.m.conversations.create(doc);
      return toConversation(created.toObject<ConversationDoc>());
    } catch (err) {
      throw isDuplicateKey(err) ? openConflict() : err;
    }
  }

  async get(id: string): Promise<Conversation | undefined> {
    const doc = await this.m.conversations.findById(id).lean<ConversationDoc>();
    return doc ? toConversation(doc) : undefined;
  }

  async findOpen(channel: string, externalUserId: string): Promise<Conversation | undefined> {
    const doc = await this.m.conversations
      .findOne({ openKey: openKeyOf(channel, externalUserId) })
      .lean<ConversationDoc>();
    return doc ? toConversation(doc) : undefined;
  }

  async findLatest(channel: string, externalUserId: string): Promise<Conversation | undefined> {
    const doc = await this.m.conversations
      .findOne({ channel, externalUserId })
      .sort({ createdAt: -1, _id: -1 })
      .lean<ConversationDoc>();
    return doc ? toConversation(doc) : undefined;
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (IMMUTABLE.has(key)) continue;
      if (value === undefined) $unset[key] = 1;
      else $set[key] = value;
    }
    $set['updatedAt'] = new Date();
    const openKey = await this.nextOpenKey(id, patch);
    if (openKey === null) $unset['openKey'] = 1;
    else if (openKey !== undefined) $set['openKey'] = openKey;
    const update = Object.keys($unset).length ? { $set, $unset } : { $set };
    let doc: ConversationDoc | null;
    try {
      doc = await this.m.conversations
        .findOneAndUpdate({ _id: id }, update, { returnDocument: 'after', runValidators: true })
        .lean<ConversationDoc>();
    } catch (err) {
      // Reopening while another conversation of the same identity is open.
      throw isDuplicateKey(err) ? openConflict() : err;
    }
    if (!doc) throw new DajeongError('not_found', `conversation ${id} not found`);
    return toConversation(doc);
  }

  /**
   * The openKey after applying `patch`: a string to set, null to remove, undefined for no change.
   * Reads the record only when the patch reopens it or moves it to another identity.
   */
  private async nextOpenKey(id: string, patch: ConversationPatch): Promise<string | null | undefined> {
    if (patch.state === 'closed') return null;
    if (patch.state === undefined && patch.channel === undefined && patch.externalUserId === undefined)
      return undefined;
    const current = await this.m.conversations
      .findById(id)
      .select({ state: 1, channel: 1, externalUserId: 1 })
      .lean<Pick<ConversationDoc, 'state' | 'channel' | 'externalUserId'>>();
    if (!current) throw new DajeongError('not_found', `conversation ${id} not found`);
    if ((patch.state ?? current.state) === 'closed') return undefined;
    return openKeyOf(patch.channel ?? current.channel, patch.externalUserId ?? current.externalUserId);
  }

  async list(query: ConversationQuery): Promise<Conversation[]> {
    const filter = defined({
      state: query.states ? { $in: query.states } : undefined,
      assigneeId: query.assigneeId,
      residentId: query.residentId,
    });
    const docs = await this.m.conversations
      .find(filter)
      .sort({ createdAt: 1, _id: 1 })
      .limit(query.limit ?? 1000)
      .lean<ConversationDoc[]>();
    return docs.map(toConversation);
  }

  async claim(conversationId: string, handoffSeq: number, ownerId: string): Promise<boolean> {
    try {
      await this.m.claims.create({ _id: newId(), conversationId, handoffSeq, ownerId, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async listClosedBefore(cutoff: Date, limit: number): Promise<Conversation[]> {
    const docs = await this.m.conversations
      .find({ state: 'closed', closedAt: { $lt: cutoff } })
      .sort({ closedAt: 1, _id: 1 })
      .limit(limit)
      .lean<ConversationDoc[]>();
    return docs.map(toConversation);
  }

  async delete(id: string): Promise<void> {
    await this.m.conversations.deleteOne({ _id: id });
    await this.m.claims.deleteMany({ conversationId: id });
  }
}
