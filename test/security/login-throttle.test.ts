/**
 * Console sign-in throttling (issue 12): concurrent wrong passwords must all count (the lockout
 * was bypassed by 40 parallel attempts), five wrong passwords from anywhere must no longer lock an
 * account (only the guessing address slows down, doubling), unknown and existing accounts answer
 * alike, and supervisors can lift a lock (audited).
 */
import type { Store } from '../../src/core/store-port';
import type { ConsoleUser } from '../../src/core/user-port';
import { ConsoleAuth, type ConsoleAuthSettings } from '../../src/console/console-auth';
import { createUser } from '../../src/console/console-routes';
import type { Service } from '../../src/main';
import { MemoryStore } from '../../src/store/memory-store';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { ConsoleClient, createStaff } from '../console/console-client';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { silentLogger, startService } from '../support/service';

const PASSWORD = 'right-password-1';
const SETTINGS: ConsoleAuthSettings = { sessionMs: 3_600_000, secureCookie: false, maxFailures: 5, accountMaxFailures: 20, lockMs: 15 * 60_000 };

/** The status (and retry hint) a login answers with. */
async function attempt(auth: ConsoleAuth, login: string, password: string, ip: string) {
  try {
    await auth.login(login, password, ip);
    return { status: 200 };
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string; details?: { retryAfterSeconds?: number } };
    if (!e.status) throw err;
    return { status: e.status, code: e.code, message: e.message, retryAfterSeconds: e.details?.retryAfterSeconds };
  }
}

async function counselor(store: Store, login = 'kim'): Promise<ConsoleUser> {
  return createUser(store, { login, password: PASSWORD, role: 'counselor', languages: ['ko'], teams: [], displayName: login });
}

let ferret: FerretDB | undefined;
let dbSeq = 0;
beforeAll(async () => {
  ferret = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await ferret?.stop();
});

describe.each<[string, () => Promise<Store>]>([
  ['memory', async () => new MemoryStore()],
  ['mongodb (FerretDB)', () => MongoStore.connect(`mongodb://127.0.0.1:${ferret!.port}/throttle${++dbSeq}`)],
])('40 parallel wrong passwords from 40 addresses (%s)', (_name, makeStore) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  it('all count: the account locks, and the right password then fails while it is locked', async () => {
    store = await makeStore();
    const user = await counselor(store);
    const auth = new ConsoleAuth({ store, settings: SETTINGS, logger: silentLogger() });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(auth, 'kim', `guess-${i}`, `203.0.113.${i + 1}`)),
    );
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);

    const right = await attempt(auth, 'kim', PASSWORD, '198.51.100.7');
    expect(right).toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect(await auth.lockWait(user)).toBeGreaterThan(0);

    await auth.unlock(user, 'supervisor-1');
    expect(await attempt(auth, 'kim', PASSWORD, '198.51.100.7')).toEqual({ status: 200 });
  });
});

describe('per-address throttling with doubling delays', () => {
  let now = new Date('2026-06-01T09:00:00Z');
  const clock = () => now;
  const tick = (ms: number) => (now = new Date(now.getTime() + ms));

  it('slows down only the address that guessed; other addresses still sign in', async () => {
    const store = new MemoryStore();
    await counselor(store);
    const auth = new ConsoleAuth({ store, settings: SETTINGS, logger: silentLogger(), now: clock });
    for (let i = 0; i < 5; i++) expect((await attempt(auth, 'kim', 'wrong', '203.0.113.9')).status).toBe(401);

    // The guessing address waits, even with the right password...
    expect(await attempt(auth, 'kim', PASSWORD, '203.0.113.9')).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    // ...while the counselor at the office signs in.
    expect(await attempt(auth, 'kim', PASSWORD, '10.1.2.3')).toEqual({ status: 200 });
  });

  it('doubles the wait with each further wrong password from that address', async () => {
    const store = new MemoryStore();
    await counselor(store);
    const auth = new ConsoleAuth({ store, settings: SETTINGS, logger: silentLogger(), now: clock });
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) await attempt(auth, 'kim', 'wrong', '203.0.113.9');
    for (let i = 0; i < 4; i++) {
      const refused = await attempt(auth, 'kim', 'wrong', '203.0.113.9');
      waits.push(refused.retryAfterSeconds);
      tick(refused.retryAfterSeconds! * 1000);
      expect((await attempt(auth, 'kim', 'wrong', '203.0.113.9')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });
});

describe('console sign-in over HTTP', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  const ADMIN = { login: 'admin', password: 'admin-password-1' };

  beforeAll(async () => {
    service = await startService({
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      LOGIN_MAX_FAILURES: '10',
      LOGIN_ACCOUNT_MAX_FAILURES: '3',
    });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'boss', role: 'supervisor' },
      { login: 'kim', role: 'counselor' },
      { login: 'victim', role: 'counselor' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await service?.close();
  });

  const login = async (name: string, password: string) => {
    const res = await fetch(`${service.url}/api/console/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: name, password }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  };

  it('answers an unknown login exactly like an existing one', async () => {
    const existing = [];
    const unknown = [];
    for (let i = 0; i < 4; i++) {
      existing.push(await login('kim', 'wrong-guess'));
      unknown.push(await login('nobody-here', 'wrong-guess'));
    }
    expect(existing.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(unknown).toEqual(existing);
    expect(existing[3]).toMatchObject({ retryAfter: '60', body: { error: { code: 'too_many_attempts' } } });
  });

  it('lets a supervisor see and lift an account lock, audited; counselors cannot', async () => {
    const victim = (await staff[ADMIN.login]!.get<{ items: { id: string; login: string }[] }>('/users')).body.items.find((u) => u.login === 'victim')!;
    for (let i = 0; i < 3; i++) await login('victim', 'wrong-guess');
    expect((await login('victim', `pw-victim-secret`)).status).toBe(429);

    const locks = await staff.boss!.get<{ items: { userId: string }[] }>('/account-locks');
    expect(locks.status).toBe(200);
    expect(locks.body.items.map((l) => l.userId)).toContain(victim.id);
    expect((await staff.kim!.post(`/users/${victim.id}/unlock`)).status).toBe(403);

    const unlocked = await staff.boss!.post<{ user: { locked: boolean } }>(`/users/${victim.id}/unlock`);
    expect(unlocked).toMatchObject({ status: 200, body: { user: { locked: false } } });
    expect((await login('victim', 'pw-victim-secret')).status).toBe(200);
    const audit = await staff.boss!.get<{ items: { action: string; actor: string }[] }>(`/audit?subject=${victim.id}`);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'console.unlock', actor: expect.any(String) })]));
  });
});
