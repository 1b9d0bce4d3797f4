/** InterpreterStore on MongoDB: invitations and claims keyed by unique `_id`s (see interpreter-schemas.ts). */
import { DajeongError } from '../../core/errors';
import {
  interpreterSessionId,
  type InterpreterSession,
  type InterpreterSessionPatch,
  type InterpreterSessionStatus,
  type InterpreterStore,
  type NewInterpreterSession,
} from '../../core/interpreter-port';
import { isDuplicateKey } from './errors';
import type { InterpreterSessionDoc } from './interpreter-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toSession = (doc: InterpreterSessionDoc) => fromDoc<InterpreterSession>(doc);

export class MongoInterpreters implements InterpreterStore {
  constructor(private readonly m: Pick<Models, 'interpreterSessions' | 'interpreterClaims'>) {}

  async invite(input: NewInterpreterSession) {
    const _id = interpreterSessionId(input.conversationId, input.handoffSeq, input.interpreterId);
    try {
      const created = await this.m.interpreterSessions.create({ ...defined(input), _id, status: 'invited' });
      return { session: toSession(created.toObject<InterpreterSessionDoc>()), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.get(_id);
      if (!existing) throw err;
      return { session: existing, created: false };
    }
  }

  async get(id: string) {
    const doc = await this.m.interpreterSessions.findById(id).lean<InterpreterSessionDoc>();
    return doc ? toSession(doc) : undefined;
  }

  async update(id: string, patch: InterpreterSessionPatch) {
    const doc = await this.m.interpreterSessions
      .findOneAndUpdate({ _id: id }, { $set: defined(patch) }, { returnDocument: 'after', runValidators: true })
      .lean<InterpreterSessionDoc>();
    if (!doc) throw new DajeongError('not_found', `interpreter session ${id} not found`);
    return toSession(doc);
  }

  async listByConversation(conversationId: string) {
    const docs = await this.m.interpreterSessions.find({ conversationId }).sort({ invitedAt: 1, _id: 1 }).lean<InterpreterSessionDoc[]>();
    return docs.map(toSession);
  }

  async listByInterpreter(interpreterId: string, statuses: InterpreterSessionStatus[], limit: number) {
    const docs = await this.m.interpreterSessions
      .find({ interpreterId, status: { $in: statuses } })
      .sort({ invitedAt: -1, _id: -1 })
      .limit(limit)
      .lean<InterpreterSessionDoc[]>();
    return docs.map(toSession);
  }

  async claim(key: string, claim: { conversationId: string; by: string; at: Date }) {
    try {
      await this.m.interpreterClaims.create({ _id: key, conversationId: claim.conversationId, by: claim.by, at: claim.at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async deleteByConversation(conversationId: string) {
    await this.m.interpreterClaims.deleteMany({ conversationId });
    return (await this.m.interpreterSessions.deleteMany({ conversationId })).deletedCount;
  }
}
