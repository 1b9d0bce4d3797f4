/** Console users and sessions on MongoDB; the unique login index decides concurrent creates. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type {
  ConsoleRole,
  ConsoleSession,
  ConsoleSessionStore,
  ConsoleUser,
  ConsoleUserPatch,
  NewConsoleUser,
  UserStore,
} from '../../core/user-port';
import { isDuplicateKey } from './errors';
import type { ConsoleSessionDoc, ConsoleUserDoc } from './handoff-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toUser = (doc: ConsoleUserDoc) => fromDoc<ConsoleUser>(doc);
const IMMUTABLE = new Set(['id', '_id', 'login', 'createdAt']);

export class MongoUsers implements UserStore {
  constructor(private readonly m: Pick<Models, 'consoleUsers'>) {}

  async create(input: NewConsoleUser): Promise<ConsoleUser> {
    const now = new Date();
    const doc: ConsoleUserDoc = {
      presence: 'offline',
      presenceAt: now,
      ...defined(input),
      login: input.login.toLowerCase(),
      failedLogins: 0,
      _id: newId(),
      createdAt: now,
      updatedAt: now,
    };
    try {
      const created = await this.m.consoleUsers.create(doc);
      return toUser(created.toObject<ConsoleUserDoc>());
    } catch (err) {
      throw isDuplicateKey(err) ? new DajeongError('conflict', `login ${doc.login} exists`) : err;
    }
  }

  async get(id: string) {
    const doc = await this.m.consoleUsers.findById(id).lean<ConsoleUserDoc>();
    return doc ? toUser(doc) : undefined;
  }

  async findByLogin(login: string) {
    const doc = await this.m.consoleUsers.findOne({ login: login.toLowerCase() }).lean<ConsoleUserDoc>();
    return doc ? toUser(doc) : undefined;
  }

  async list(query: { role?: ConsoleRole } = {}) {
    const docs = await this.m.consoleUsers
      .find(defined({ role: query.role }))
      .sort({ createdAt: 1, _id: 1 })
      .lean<ConsoleUserDoc[]>();
    return docs.map(toUser);
  }

  async update(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser> {
    const $set: Record<string, unknown> = { updatedAt: new Date() };
    const $unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (IMMUTABLE.has(key)) continue;
      if (value === undefined) $unset[key] = 1;
      else $set[key] = value;
    }
    const update = Object.keys($unset).length ? { $set, $unset } : { $set };
    const doc = await this.m.consoleUsers
      .findOneAndUpdate({ _id: id }, update, { returnDocument: 'after', runValidators: true })
      .lean<ConsoleUserDoc>();
    if (!doc) throw new DajeongError('not_found', `user ${id} not found`);
    return toUser(doc);
  }
}

const toSession = ({ _id, userId, csrfToken, createdAt, expiresAt }: ConsoleSessionDoc): ConsoleSession => ({
  tokenHash: _id,
  userId,
  csrfToken,
  createdAt,
  expiresAt,
});

export class MongoConsoleSessions implements ConsoleSessionStore {
  constructor(private readonly m: Pick<Models, 'consoleSessions'>) {}

  async create(session: ConsoleSession): Promise<void> {
    const { tokenHash, ...rest } = session;
    try {
      await this.m.consoleSessions.create({ _id: tokenHash, ...rest });
    } catch (err) {
      throw isDuplicateKey(err) ? new DajeongError('conflict', 'session exists') : err;
    }
  }

  async find(tokenHash: string, now: Date) {
    const doc = await this.m.consoleSessions.findOne({ _id: tokenHash, expiresAt: { $gt: now } }).lean<ConsoleSessionDoc>();
    return doc ? toSession(doc) : undefined;
  }

  async extend(tokenHash: string, expiresAt: Date) {
    await this.m.consoleSessions.updateOne({ _id: tokenHash }, { $set: { expiresAt } });
  }

  async delete(tokenHash: string) {
    await this.m.consoleSessions.deleteOne({ _id: tokenHash });
  }

  async deleteByUser(userId: string) {
    const result = await this.m.consoleSessions.deleteMany({ userId });
    return result.deletedCount;
  }
}
