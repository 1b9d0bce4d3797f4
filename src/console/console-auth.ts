/**
 * Console authentication: argon2id passwords, sign-in throttling (./login-throttle.ts), session cookies
 * (HttpOnly, SameSite=Strict, Secure behind TLS) whose records live in the store so every
 * instance accepts them, and a per-session CSRF token that state-changing requests must echo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import { CHAT_ROLES, type ConsoleSession, type ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hasher';

export const SESSION_COOKIE = 'dajeong_console';

export interface ConsoleAuthSettings {
  sessionMs: number;
  secureCookie: boolean;
  /** Wrong passwords for one login from one address before each further try waits (doubling). */
  maxFailures: number;
  /** Wrong passwords for one login from all addresses before every address waits. */
  accountMaxFailures: number;
  /** The longest wait. */
  lockMs: number;
}

export interface Authenticated {
  user: ConsoleUser;
  session: ConsoleSession;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** How stale lastSeenAt / the session expiry may get before a request refreshes them. */
const TOUCH_EVERY_MS = 20_000;
/** The first wait of a guessing address; it doubles with each further wrong password. */
const FIRST_DELAY_MS = 1_000;
/** The first wait of an account guessed at from many addresses (a campaign, not a typo). */
const FIRST_ACCOUNT_DELAY_MS = 60_000;

export class ConsoleAuth {
  /** Verified against for unknown logins, so their timing matches a wrong password. */
  private readonly decoy: Promise<string> = hashPassword(randomBytes(16).toString('hex'));
  private readonly throttle: LoginThrottle;
  private readonly now: () => Date;

  constructor(
    private readonly deps: { store: Store; settings: ConsoleAuthSettings; logger: Logger; now?: () => Date },
  ) {
    this.now = deps.now ?? (() => new Date());
    this.throttle = new LoginThrottle(deps.store.loginAttempts, {
      addressFreeFailures: deps.settings.maxFailures,
      accountFreeFailures: deps.settings.accountMaxFailures,
      baseDelayMs: FIRST_DELAY_MS,
      accountBaseDelayMs: Math.min(FIRST_ACCOUNT_DELAY_MS, deps.settings.lockMs),
      maxDelayMs: deps.settings.lockMs,
    });
  }

  /**
   * Checks the password and opens a session; counselors and supervisors come online as 'away'.
   * Unknown, disabled and existing accounts answer alike: 401 for a wrong password, 429 while
   * throttled (no password is checked then).
   * @throws HandoffError 401 invalid_credentials, 429 too_many_attempts (details.retryAfterSeconds).
   */
  async login(login: string, password: string, ip: string | undefined): Promise<Authenticated & { token: string }> {
    const { store, settings } = this.deps;
    const now = this.now();
    const address = ip ?? 'unknown';
    const attempt = await this.throttle.record(login, address, now);
    const verdict = await this.throttle.verdict(attempt, now);
    const user = await store.users.findByLogin(login);
    const actor = user && !user.disabled ? user.id : 'anonymous';
    if (verdict.waitMs > 0) {
      await this.throttle.forget(attempt);
      await store.audit.record({ actor, action: 'console.login_throttled', details: { ip, waitMs: verdict.waitMs, accountWide: verdict.accountWide, ...(actor === 'anonymous' && { login: attempt.login }) } });
      throw throttled(verdict.waitMs);
    }
    const ok = user && !user.disabled ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await this.decoy, password).then(() => false);
    if (!ok || !user) {
      await store.audit.record({ actor, action: 'console.login_failed', details: { ip, ...(actor === 'anonymous' && { login: attempt.login, reason: 'unknown' }) } });
      // Looked up for unknown logins too, so both answers take the same path and time.
      const lockWaitMs = await this.throttle.accountWait(login, now);
      if (actor !== 'anonymous' && lockWaitMs > 0) await this.noteAccountLock(user!, new Date(now.getTime() + lockWaitMs));
      throw invalid();
    }
    await this.throttle.clear(login);
    const online = !CHAT_ROLES.includes(user.role) ? {} : { presence: 'away' as const, presenceAt: now };
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

  /** Milliseconds until the account accepts sign-ins from every address again; 0 when not locked. */
  lockWait(user: ConsoleUser): Promise<number> {
    return this.throttle.accountWait(user.login, this.now());
  }

  /**
   * Lifts every sign-in delay of an account (all addresses), audited under the supervisor or
   * admin who did it.
   */
  async unlock(user: ConsoleUser, actorId: string): Promise<ConsoleUser> {
    const forgotten = await this.throttle.clear(user.login);
    const updated = await this.deps.store.users.update(user.id, { lockedUntil: undefined, failedLogins: 0 });
    await this.deps.store.audit.record({ actor: actorId, action: 'console.unlock', subject: user.id, details: { attempts: forgotten } });
    return updated;
  }

  /** After a wrong password reached the account-wide limit: says so in the log and on the account. */
  private async noteAccountLock(user: ConsoleUser, until: Date): Promise<void> {
    if (!user.lockedUntil || user.lockedUntil < until) await this.deps.store.users.update(user.id, { lockedUntil: until });
    await this.deps.store.audit.record({ actor: user.id, action: 'console.lockout', details: { until: until.toISOString() } });
    this.deps.logger.warn({ userId: user.id, until }, 'console account throttled from every address after repeated failed logins');
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
    if (CHAT_ROLES.includes(auth.user.role)) await store.users.update(auth.user.id, { presence: 'offline', presenceAt: new Date() });
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
const throttled = (waitMs: number) => {
  const seconds = Math.ceil(waitMs / 1000);
  return new HandoffError(429, 'too_many_attempts', { key: 'staff.error.tooManySignIns', values: { seconds } }, { retryAfterSeconds: seconds });
};
