/**
 * Sign-in throttling: wrong passwords slow down the address they come from (per login and
 * address, doubling delays), and only many wrong passwords from many addresses slow down the
 * login everywhere. So five guesses from anywhere no longer lock a counselor out, while a guessing
 * campaign spread over many addresses still stops. Unknown logins are counted exactly like real
 * ones, so the answers do not tell which accounts exist.
 *
 * Every attempt is inserted before its password is checked and counts against the attempts that
 * came before it (by time, then id): of a burst of parallel attempts only the first few reach the
 * password check, whichever instance serves them.
 */
import {
  LOGIN_ATTEMPT_WINDOW_MS,
  type LoginAttempt,
  type LoginAttemptStore,
} from '../core/login-attempt-port';

export interface LoginThrottleSettings {
  /** Wrong passwords for one login from one address before each further try must wait. */
  addressFreeFailures: number;
  /** Wrong passwords for one login from all addresses together before every address must wait. */
  accountFreeFailures: number;
  /** The first wait of one address; each further failure doubles it. */
  baseDelayMs: number;
  /** The first wait of the whole account; each further failure doubles it. */
  accountBaseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
}

/** What a throttle check found. */
export interface ThrottleVerdict {
  /** Milliseconds the caller must wait before this login may be tried again; 0 = go ahead. */
  waitMs: number;
  /** True when the wait applies to every address (the account-wide limit). */
  accountWide: boolean;
}

/** Lower-cased, bounded login used as the throttle key (the same for unknown and existing accounts). */
export function loginKey(login: string): string {
  return login.trim().toLowerCase().slice(0, 64);
}

export class LoginThrottle {
  /** Enough look-back to reach the longest delay; older attempts cannot change the verdict. */
  private readonly lookBack: number;

  constructor(
    private readonly attempts: LoginAttemptStore,
    private readonly settings: LoginThrottleSettings,
  ) {
    const doublings = Math.ceil(Math.log2(Math.max(1, settings.maxDelayMs / Math.min(settings.baseDelayMs, settings.accountBaseDelayMs))));
    this.lookBack = Math.max(settings.addressFreeFailures, settings.accountFreeFailures) + doublings + 1;
  }

  /** Records an attempt before its password is checked; remove it with `forget` when refused. */
  record(login: string, address: string, at: Date): Promise<LoginAttempt> {
    return this.attempts.add({ login: loginKey(login), address, at });
  }

  /** The wait for `attempt`, counting only attempts recorded before it. */
  async verdict(attempt: LoginAttempt, now: Date): Promise<ThrottleVerdict> {
    const query = { login: attempt.login, since: new Date(now.getTime() - LOGIN_ATTEMPT_WINDOW_MS), until: attempt.at, limit: this.lookBack + 1 };
    const earlier = (list: LoginAttempt[]) => list.filter((a) => a.id !== attempt.id && (a.at < attempt.at || a.id < attempt.id));
    const [all, fromAddress] = await Promise.all([
      this.attempts.list(query),
      this.attempts.list({ ...query, address: attempt.address }),
    ]);
    const account = this.wait(earlier(all), this.settings.accountFreeFailures, this.settings.accountBaseDelayMs, now);
    const address = this.wait(earlier(fromAddress), this.settings.addressFreeFailures, this.settings.baseDelayMs, now);
    return { waitMs: Math.max(account, address), accountWide: account > 0 && account >= address };
  }

  /** The account-wide wait of a login now (for the console's lock list); 0 when not locked. */
  async accountWait(login: string, now: Date): Promise<number> {
    const list = await this.attempts.list({
      login: loginKey(login),
      since: new Date(now.getTime() - LOGIN_ATTEMPT_WINDOW_MS),
      until: now,
      limit: this.lookBack,
    });
    return this.wait(list, this.settings.accountFreeFailures, this.settings.accountBaseDelayMs, now);
  }

  /** Drops a refused attempt: no password was checked, so it is no failure. */
  forget(attempt: LoginAttempt): Promise<void> {
    return this.attempts.remove(attempt.id);
  }

  /** Forgets every attempt of a login (successful sign-in, unlock). */
  clear(login: string): Promise<number> {
    return this.attempts.clear(loginKey(login));
  }

  /** Wait after `failures` (newest first): none below the free count, then base, 2×base, 4×base... capped. */
  private wait(failures: LoginAttempt[], free: number, baseMs: number, now: Date): number {
    if (failures.length < free) return 0;
    const doublings = Math.min(failures.length - free, 40);
    const delay = Math.min(this.settings.maxDelayMs, baseMs * 2 ** doublings);
    return Math.max(0, failures[0]!.at.getTime() + delay - now.getTime());
  }
}
