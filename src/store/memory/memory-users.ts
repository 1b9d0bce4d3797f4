/** In-memory console users and sessions (see test/store/user-contract.ts). */
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
import { clone } from './clone';


export class MemoryUsers implements UserStore {
  private readonly byId = new Map<string, ConsoleUser>();

  async create(input: NewConsoleUser): Promise<ConsoleUser> {
    const login = input.login.toLowerCase();
    if (this.byLogin(login)) throw new DajeongError('conflict', `login ${login} exists`);
    const now = new Date();
    const user: ConsoleUser = {
      presence: 'offline',
      presenceAt: now,
      ...clone(input),
      login,
      failedLogins: 0,
      id: newId(),
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(user.id, user);
    return clone(user);
  }

  async get(id: string) {
    const u = this.byId.get(id);
    return u ? clone(u) : undefined;
  }

  async findByLogin(login: string) {
    const u = this.byLogin(login.toLowerCase());
    return u ? clone(u) : undefined;
  }

  private byLogin(login: string): ConsoleUser | undefined {
    for (const u of this.byId.values()) if (u.login === login) return u;
    return undefined;
  }

  async list(query: { role?: ConsoleRole } = {}) {
    return clone([...this.byId.values()].filter((u) => !query.role || u.role === query.role));
  }

  async update(id: string, patch: ConsoleUserPatch): Promise<ConsoleUser> {
    const u = this.byId.get(id);
    if (!u) throw new DajeongError('not_found', `user ${id} not found`);
    for (const [key, value] of Object.entries(clone(patch))) {
      if (key === 'id' || key === 'login' || key === 'createdAt') continue;
      if (value === undefined) delete (u as unknown as Record<string, unknown>)[key];
      else (u as unknown as Record<string, unknown>)[key] = value;
    }
    u.updatedAt = new Date();
    return clone(u);
  }
}

export class MemoryConsoleSessions implements ConsoleSessionStore {
  private readonly byHash = new Map<string, ConsoleSession>();

  async create(session: ConsoleSession) {
    if (this.byHash.has(session.tokenHash)) throw new DajeongError('conflict', 'session exists');
    this.byHash.set(session.tokenHash, clone(session));
  }

  async find(tokenHash: string, now: Date) {
    const s = this.byHash.get(tokenHash);
    return s && s.expiresAt > now ? clone(s) : undefined;
  }

  async extend(tokenHash: string, expiresAt: Date) {
    const s = this.byHash.get(tokenHash);
    if (s) s.expiresAt = expiresAt;
  }

  async delete(tokenHash: string) {
    this.byHash.delete(tokenHash);
  }

  async deleteByUser(userId: string) {
    let n = 0;
    for (const [hash, s] of this.byHash) {
      if (s.userId === userId) {
        this.byHash.delete(hash);
        n++;
      }
    }
    return n;
  }
}
