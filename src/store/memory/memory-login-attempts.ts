/** In-memory sign-in attempts (see test/store/user-contract.ts). */
import { newOrderedId } from '../../core/ids';
import type { LoginAttempt, LoginAttemptQuery, LoginAttemptStore } from '../../core/login-attempt-port';
import { clone } from './clone';

const newestFirst = (a: LoginAttempt, b: LoginAttempt) =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class MemoryLoginAttempts implements LoginAttemptStore {
  private readonly byId = new Map<string, LoginAttempt>();

  async add(attempt: Omit<LoginAttempt, 'id'>): Promise<LoginAttempt> {
    const record: LoginAttempt = { ...clone(attempt), id: newOrderedId(attempt.at.getTime()) };
    this.byId.set(record.id, record);
    return clone(record);
  }

  async list(q: LoginAttemptQuery): Promise<LoginAttempt[]> {
    const out = [...this.byId.values()].filter(
      (a) => a.login === q.login && (q.address === undefined || a.address === q.address) && a.at >= q.since && a.at <= q.until,
    );
    return clone(out.sort(newestFirst).slice(0, q.limit));
  }

  async remove(id: string): Promise<void> {
    this.byId.delete(id);
  }

  async clear(login: string): Promise<number> {
    return this.deleteWhere((a) => a.login === login);
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return this.deleteWhere((a) => a.at < cutoff);
  }

  private deleteWhere(test: (a: LoginAttempt) => boolean): number {
    let n = 0;
    for (const [id, a] of this.byId) {
      if (test(a)) {
        this.byId.delete(id);
        n++;
      }
    }
    return n;
  }
}
