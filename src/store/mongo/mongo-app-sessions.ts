/** AppSessionStore on MongoDB; `_id` is the token hash. */
import { DajeongError } from '../../core/errors';
import type { AppSession, AppSessionStore } from '../../core/store-port';
import type { AppSessionDoc } from './app-session-schema';
import { isDuplicateKey } from './errors';
import type { Models } from './models';

const toSession = ({
  _id,
  residentId,
  conversationId,
  deviceId,
  createdAt,
  lastSeenAt,
}: AppSessionDoc & { _id: string }): AppSession => ({
  tokenHash: _id,
  residentId,
  conversationId,
  deviceId,
  createdAt,
  ...(lastSeenAt && { lastSeenAt }),
});

export class MongoAppSessions implements AppSessionStore {
  constructor(private readonly m: Pick<Models, 'appSessions'>) {}

  async create(session: AppSession): Promise<void> {
    const { tokenHash, residentId, conversationId, deviceId, createdAt, lastSeenAt } = session;
    try {
      await this.m.appSessions.create({ _id: tokenHash, residentId, conversationId, deviceId, createdAt, ...(lastSeenAt && { lastSeenAt }) });
    } catch (err) {
      if (isDuplicateKey(err)) throw new DajeongError('conflict', 'token hash exists');
      throw err;
    }
  }

  async findByTokenHash(tokenHash: string): Promise<AppSession | undefined> {
    const doc = await this.m.appSessions.findById(tokenHash).lean<AppSessionDoc>();
    return doc ? toSession(doc) : undefined;
  }

  /**
   * Every session of one resident, oldest first. Not part of the port yet; the privacy export
   * uses it when present (see PrivacyService).
   */
  async listByResident(residentId: string): Promise<AppSession[]> {
    const docs = await this.m.appSessions.find({ residentId }).sort({ createdAt: 1 }).lean<AppSessionDoc[]>();
    return docs.map(toSession);
  }

  async repoint(residentId: string, conversationId: string): Promise<void> {
    await this.m.appSessions.updateMany({ residentId }, { $set: { conversationId } });
  }

  async deleteByResident(residentId: string): Promise<number> {
    const result = await this.m.appSessions.deleteMany({ residentId });
    return result.deletedCount;
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    await this.m.appSessions.updateOne({ _id: tokenHash }, { $set: { lastSeenAt: at } });
  }

  async listIdleBefore(cutoff: Date, limit: number): Promise<AppSession[]> {
    const idle = (field: 'lastSeenAt' | 'createdAt', filter: Record<string, unknown>) =>
      this.m.appSessions.find(filter).sort({ [field]: 1 }).limit(limit).lean<AppSessionDoc[]>();
    // Two indexed queries instead of one $or, merged: used sessions by lastSeenAt, unused by createdAt.
    const [used, unused] = await Promise.all([
      idle('lastSeenAt', { lastSeenAt: { $lt: cutoff } }),
      idle('createdAt', { lastSeenAt: { $exists: false }, createdAt: { $lt: cutoff } }),
    ]);
    const seen = (d: AppSessionDoc) => (d.lastSeenAt ?? d.createdAt).getTime();
    return [...used, ...unused].sort((a, b) => seen(a) - seen(b)).slice(0, limit).map(toSession);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.m.appSessions.deleteOne({ _id: tokenHash });
  }
}
