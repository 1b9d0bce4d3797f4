/**
 * Console accounts: creating and changing users (admins), presence (counselors and supervisors),
 * and the staff list a counselor transfers to. Every change is audited.
 */
import { isConflict } from '../core/errors';
import type { ConsoleAuth } from './console-auth';
import type { EventBus } from '../core/event-port';
import type { Store } from '../core/store-port';
import { CHAT_ROLES, type ConsoleRole, type ConsoleUser, type Presence } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffService } from '../handoff/handoff-service';
import { effectivePresence } from '../handoff/presence';
import type { createUserBody, updateUserBody } from './console-schemas';
import { hashPassword } from './password-hasher';
import type { z } from 'zod';

export interface NewUser {
  login: string;
  password: string;
  role: ConsoleRole;
  languages: string[];
  teams: string[];
  displayName: string;
  shift?: ConsoleUser['shift'];
  maxConcurrent?: number;
}

/** Creates a console user with a hashed password (a login that exists rejects with 'conflict'). */
export async function createUser(store: Store, input: NewUser): Promise<ConsoleUser> {
  const { password, ...rest } = input;
  return store.users.create({ ...rest, passwordHash: await hashPassword(password) });
}

export interface UserAdminDeps {
  /** Lifts sign-in throttling of an account (the unlock field). */
  auth: Pick<ConsoleAuth, 'unlock'>;
  store: Store;
  bus: EventBus;
  handoff: HandoffService;
  presenceTtlMs: number;
}

export class UserAdminService {
  constructor(private readonly deps: UserAdminDeps) {}

  /** Every account with the presence others see. */
  async list(now = new Date()): Promise<{ user: ConsoleUser; presence: Presence }[]> {
    return (await this.deps.store.users.list()).map((user) => ({ user, presence: this.presenceOf(user, now) }));
  }

  /** Creates an account; 409 when the login exists. */
  async create(actor: ConsoleUser, body: z.infer<typeof createUserBody>): Promise<ConsoleUser> {
    const { store } = this.deps;
    const user = await createUser(store, { ...body, displayName: body.displayName ?? body.login }).catch((err: unknown) => {
      throw isConflict(err) ? new HandoffError(409, 'conflict', { key: 'staff.error.loginExists', values: { login: body.login } }) : err;
    });
    await store.audit.record({ actor: actor.id, action: 'user.create', subject: user.id, details: { login: user.login, role: user.role } });
    return user;
  }

  /** Changes an account; a new password or a disabled account ends every open session of that user. */
  async update(actor: ConsoleUser, userId: string, body: z.infer<typeof updateUserBody>): Promise<ConsoleUser> {
    const { store } = this.deps;
    const existing = await store.users.get(userId);
    if (!existing) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchUser' });
    const { password, unlock, shift, maxConcurrent, ...rest } = body;
    if (unlock) await this.deps.auth.unlock(existing, actor.id);
    const user = await store.users.update(existing.id, {
      ...rest,
      ...(password && { passwordHash: await hashPassword(password) }),
      ...(shift !== undefined && { shift: shift ?? undefined }),
      ...(maxConcurrent !== undefined && { maxConcurrent: maxConcurrent ?? undefined }),
      ...(body.disabled && { presence: 'offline' as const, presenceAt: new Date() }),
    });
    if (password || body.disabled) await store.consoleSessions.deleteByUser(user.id);
    await store.audit.record({ actor: actor.id, action: 'user.update', subject: user.id, details: { fields: Object.keys(body).filter((k) => k !== 'password').concat(password ? ['password'] : []) } });
    return user;
  }

  /** Sets the user's own presence (available takes chats) and tells every console. */
  async setPresence(user: ConsoleUser, status: Presence): Promise<ConsoleUser> {
    const { store, bus } = this.deps;
    const updated = await store.users.update(user.id, { presence: status, presenceAt: new Date(), lastSeenAt: new Date() });
    await store.audit.record({ actor: user.id, action: 'console.presence', details: { from: user.presence, to: status } });
    bus.publish('presence', { userId: user.id });
    return updated;
  }

  /** Counselors and supervisors (not disabled) with presence, load and cap, and every team. */
  async staff(now = new Date()) {
    const { handoff } = this.deps;
    const loads = await handoff.loads();
    const users = (await this.deps.store.users.list()).filter((u) => CHAT_ROLES.includes(u.role) && !u.disabled);
    return {
      items: users.map((user) => ({ user, presence: this.presenceOf(user, now), load: loads.get(user.id) ?? 0, cap: handoff.capOf(user) })),
      teams: [...new Set(users.flatMap((u) => u.teams))].sort(),
    };
  }

  /** Presence as others should see it. */
  presenceOf(user: ConsoleUser, now = new Date()): Presence {
    return effectivePresence(user, now, this.deps.presenceTtlMs);
  }
}
