/** Sign-in attempts on MongoDB: each attempt is its own insert, which every MongoDB-wire server applies atomically. */
import { newOrderedId } from '../../core/ids';
import type { LoginAttempt, LoginAttemptQuery, LoginAttemptStore } from '../../core/login-attempt-port';
import type { LoginAttemptDoc } from './login-attempt-schema';
import { defined } from './mapping';
import type { Models } from './models';

const toAttempt = ({ _id, login, address, at }: LoginAttemptDoc): LoginAttempt => ({ id: _id, login, address, at });

export class MongoLoginAttempts implements LoginAttemptStore {
  constructor(private readonly m: Pick<Models, 'loginAttempts'>) {}

  async add(attempt: Omit<LoginAttempt, 'id'>): Promise<LoginAttempt> {
    const doc: LoginAttemptDoc = { _id: newOrderedId(attempt.at.getTime()), ...attempt };
    await this.m.loginAttempts.create(doc);
    return toAttempt(doc);
  }

  async list(q: LoginAttemptQuery): Promise<LoginAttempt[]> {
    const docs = await this.m.loginAttempts
      .find(defined({ login: q.login, address: q.address, at: { $gte: q.since, $lte: q.until } }))
      .sort({ at: -1, _id: -1 })
      .limit(q.limit)
      .lean<LoginAttemptDoc[]>();
    return docs.map(toAttempt);
  }

  async remove(id: string): Promise<void> {
    await this.m.loginAttempts.deleteOne({ _id: id });
  }

  async clear(login: string): Promise<number> {
    return (await this.m.loginAttempts.deleteMany({ login })).deletedCount;
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.m.loginAttempts.deleteMany({ at: { $lt: cutoff } })).deletedCount;
  }
}
