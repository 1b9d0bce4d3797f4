/**
 * Console authentication: argon2id passwords, lockout after repeated failures, session cookies
 * (HttpOnly, SameSite=Strict, Secure behind TLS) whose records live in the store so every
 * instance accepts them, and a per-session CSRF token that state-changing requests must echo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ConsoleSession, ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import { hashPassword, verifyPassword } from './password-hasher';

export const SESSION_COOKIE = 'dajeong_console';

export interface ConsoleAuthSettings {
  sessionMs: number;
  secureCookie: boolean;
  maxFailures: number;
  lockMs: number;
}

export interface Authenticated {
  user: ConsoleUser;
  session: ConsoleSession;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** How stale lastSeenAt / the session expiry may get before a request refreshes them. */
const TOUCH_EVERY_MS = 20_000;

export class ConsoleAuth {
  /** Verified against for unknown logins, so their timing matches a wrong password. */
  private readonly decoy: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    private readonly deps: { store: Store; settings: ConsoleAuthSettings; logger: Logger },
  ) {}

  /**
   * Checks the password and opens a session; counselors and supervisors come online as 'away'.
   * @throws HandoffError 401 invalid_credentials, 423 locked.
   */
  async login(login: string, password: string, ip: string | undefined): Promise<Authenticated & { token: string }> {
    const { store, settings } = this.deps;
    const now = new Date();
    const user = await store.users.findByLogin(login);
    if (!user || user.disabled) {
      await verifyPassword(await this.decoy, password);
      await store.audit.record({ actor: 'anonymous', action: 'console.login_failed', details: { login: login.toLowerCase().slice(0, 64), ip, reason: 'unknown' } });
      throw invalid();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      await store.audit.record({ actor: user.id, action: 'console.login_refused', details: { ip, reason: 'locked' } });
      throw locked(user.lockedUntil);
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const failures = user.failedLogins + 1;
      const lock = failures >= settings.maxFailures;
      await store.users.update(user.id, lock ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + settings.lockMs) } : { failedLogins: failures });
      await store.audit.record({ actor: user.id, action: lock ? 'console.lockout' : 'console.login_failed', details: { ip, failures } });
      if (lock) this.deps.logger.warn({ userId: user.id }, 'console account locked after repeated failed logins');
      throw lock ? locked(new Date(now.getTime() + settings.lockMs)) : invalid();
    }
    const online = user.role === 'admin' ? {} : { presence: 'away' as const, presenceAt: now };
    const updated = await store.users.update(user.id, { failedLogins: 0, lockedUntil: undefined, lastSeenAt: now, ...online });
    const token = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      tokenHash: sha256(token),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.sessionMs),
    };
    await store.consoleSessions.create(session);
    await store.audit.record({ actor: user.id, action: 'console.login', details: { ip } });
    return { user: updated, session, token };
  }

  /** The user and session behind a cookie value, refreshing the idle expiry; undefined if none. */
  async authenticate(token: string | undefined): Promise<Authenticated | undefined> {
    if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const { store, settings } = this.deps;
    const now = new Date();
    const session = await store.consoleSessions.find(sha256(token), now);
    if (!session) return undefined;
    let user = await store.users.get(session.userId);
    if (!user || user.disabled) return undefined;
    const expiresAt = new Date(now.getTime() + settings.sessionMs);
    if (expiresAt.getTime() - session.expiresAt.getTime() > TOUCH_EVERY_MS) {
      await store.consoleSessions.extend(session.tokenHash, expiresAt);
      session.expiresAt = expiresAt;
    }
    user = await this.touch(user, now);
    return { user, session };
  }

  /** Records a sign of life (requests, WebSocket pongs), at most every few seconds. */
  async touch(user: ConsoleUser, now = new Date()): Promise<ConsoleUser> {
    if (user.lastSeenAt && now.getTime() - user.lastSeenAt.getTime() < TOUCH_EVERY_MS) return user;
    return this.deps.store.users.update(user.id, { lastSeenAt: now });
  }

  async logout(auth: Authenticated): Promise<void> {
    const { store } = this.deps;
    await store.consoleSessions.delete(auth.session.tokenHash);
    if (auth.user.role !== 'admin') await store.users.update(auth.user.id, { presence: 'offline', presenceAt: new Date() });
    await store.audit.record({ actor: auth.user.id, action: 'console.logout' });
  }

  /** Constant-time comparison of the x-csrf-token header with the session's token. */
  csrfOk(session: ConsoleSession, header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const a = Buffer.from(header);
    const b = Buffer.from(session.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Sets the session cookie; Secure when configured or when this request came over TLS. */
  setCookie(res: Response, token: string, overTls = false): void {
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.deps.settings.secureCookie || overTls,
      path: '/',
      maxAge: this.deps.settings.sessionMs,
    });
  }

  clearCookie(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.deps.settings.secureCookie, path: '/' });
  }
}

/** Reads one cookie from a raw Cookie header (WebSocket upgrades have no cookie parser). */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const invalid = () => new HandoffError(401, 'invalid_credentials', { key: 'staff.error.wrongCredentials' });
const locked = (until: Date) =>
  new HandoffError(423, 'locked', { key: 'staff.error.locked', values: { until: until.toISOString() } }, {
    lockedUntil: until.toISOString(),
  });
