/**
 * Console security: every documented route refuses anonymous callers and wrong roles; CSRF on
 * state-changing requests; counselors cannot read chats assigned elsewhere; argon2 hashes;
 * cookie flags; sign-in throttling after repeated failures; login rate limiting; the audit log.
 */
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { ConsoleClient, createStaff, eventually } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
type Role = 'counselor' | 'supervisor' | 'admin' | 'qa';

interface OpenApi {
  paths: Record<string, Record<string, { 'x-roles': Role[]; security?: unknown[] }>>;
}

describe('console authorization', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  let byRole: Record<Role, ConsoleClient>;
  let conversationId: string;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', LOGIN_MAX_FAILURES: '3' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'lee', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
      { login: 'rev', role: 'qa' },
    ]);
    byRole = { counselor: staff.kim!, supervisor: staff.boss!, admin: staff[ADMIN.login]!, qa: staff.rev! };
    const app = new AppClient(service.url);
    await app.start();
    await app.say('상담사 연결해 주세요');
    conversationId = app.conversationId;
    await eventually(async () => (await service.store.conversations.get(conversationId))?.state === 'queued', 10_000, 'queued');
  });
  afterAll(async () => {
    await service.close();
  });

  const operations = async () => {
    const doc = (await (await fetch(`${service.url}/api/console/v1/openapi.json`)).json()) as OpenApi;
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace('{id}', conversationId).replace('{messageId}', 'no-such-message'),
        template: `${method.toUpperCase()} ${path}`,
        roles: op['x-roles'],
        secured: Boolean(op.security),
      })),
    );
  };

  it('documents every route with the roles allowed', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(25);
    expect(ops.map((o) => o.template)).toEqual(
      expect.arrayContaining([
        'POST /login',
        'POST /presence',
        'GET /queue',
        'POST /conversations/{id}/accept',
        'POST /conversations/{id}/messages',
        'POST /conversations/{id}/close',
        'POST /users',
        'GET /dashboard',
        'GET /qa/reviews',
        'POST /qa/reviews/{id}/score',
        'POST /qa/reviews/{id}/acknowledge',
        'GET /qa/report.csv',
        'GET /staffing',
      ]),
    );
    for (const op of ops) if (op.template !== 'POST /login') expect(op.secured).toBe(true);
  });

  it('refuses an anonymous caller on every route but login', async () => {
    for (const op of await operations()) {
      if (!op.secured) continue;
      const res = await new ConsoleClient(service.url).request(op.method, op.path, op.method === 'GET' ? undefined : {});
      expect({ route: op.template, status: res.status, body: res.body }).toMatchObject({ route: op.template, status: 401, body: { error: { code: 'unauthorized' } } });
    }
  });

  it('refuses each role a route does not allow', async () => {
    let checked = 0;
    for (const op of await operations()) {
      if (!op.secured) continue;
      for (const role of ['counselor', 'supervisor', 'admin', 'qa'] as Role[]) {
        if (op.roles.includes(role)) continue;
        const res = await byRole[role].request(op.method, op.path, op.method === 'GET' ? undefined : {});
        expect({ route: op.template, role, status: res.status, body: res.body }).toMatchObject({ route: op.template, role, status: 403, body: { error: { code: 'forbidden' } } });
        checked++;
      }
    }
    // Every route except session/logout has at least one role it refuses.
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  it('requires the CSRF token on state-changing requests', async () => {
    const kim = staff.kim!;
    const noToken = await kim.request('POST', '/presence', { status: 'away' }, { 'x-csrf-token': '' });
    expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    const wrong = await kim.request('POST', '/presence', { status: 'away' }, { 'x-csrf-token': 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
    expect((await kim.post('/presence', { status: 'away' })).status).toBe(200);
  });

  it('lets only the owner or a supervisor read a chat once it is assigned', async () => {
    // While queued, counselors may look before accepting.
    expect((await staff.lee!.get(`/conversations/${conversationId}`)).status).toBe(200);
    expect((await staff.kim!.post(`/conversations/${conversationId}/accept`)).status).toBe(200);
    expect((await staff.kim!.get(`/conversations/${conversationId}`)).status).toBe(200);
    const other = await staff.lee!.get(`/conversations/${conversationId}`);
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.stringMatching(/다른 상담사에게 배정된 상담입니다/) } } });
    expect((await staff.boss!.get(`/conversations/${conversationId}`)).status).toBe(200);
    // Nor may another counselor act on it.
    const reply = await staff.lee!.post(`/conversations/${conversationId}/messages`, { text: 'hi' });
    expect(reply).toMatchObject({ status: 403, body: { error: { code: 'not_owner' } } });
    expect((await staff.lee!.post(`/conversations/${conversationId}/close`, { resolution: 'answered', confirm: true })).status).toBe(403);
    expect((await staff.lee!.get('/conversations?scope=all')).status).toBe(403);
    const all = await staff.boss!.get<{ items: { id: string }[] }>('/conversations?scope=all');
    expect(all.body.items.map((c) => c.id)).toContain(conversationId);
  });

  it('stores argon2id hashes only and sets a HttpOnly, SameSite=Strict session cookie', async () => {
    const users = await service.store.users.list();
    for (const u of users) expect(u.passwordHash).toMatch(/^\$argon2id\$/);
    const res = await fetch(`${service.url}/api/console/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'kim', password: 'pw-kim-secret' }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(JSON.stringify(await (await fetch(`${service.url}/api/console/v1/users`, { headers: { cookie: staff[ADMIN.login]!.cookie } })).json())).not.toMatch(/argon2|passwordHash/);
  });

  it('holds back an address after repeated wrong passwords, even for the right one, until an admin unlocks the account', async () => {
    const created = await staff[ADMIN.login]!.post<{ user: { id: string } }>('/users', { login: 'victim', password: 'victim-password', role: 'counselor', languages: ['ko'], teams: [] });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await new ConsoleClient(service.url).login('victim', 'wrong-guess')).status).toBe(401);
    const fourth = await new ConsoleClient(service.url).login('victim', 'victim-password');
    expect(fourth).toMatchObject({ status: 429, body: { error: { code: 'too_many_attempts' } } });
    const unlocked = await staff[ADMIN.login]!.request('PATCH', `/users/${created.body.user.id}`, { unlock: true });
    expect(unlocked.status).toBe(200);
    expect((await new ConsoleClient(service.url).login('victim', 'victim-password')).status).toBe(200);
    const audit = await staff.boss!.get<{ items: { action: string; actor: string }[] }>(`/audit?actor=${created.body.user.id}`);
    expect(audit.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['console.login_failed', 'console.login_throttled', 'console.login']));
    const unlock = await staff.boss!.get<{ items: { action: string }[] }>(`/audit?subject=${created.body.user.id}`);
    expect(unlock.body.items.map((e) => e.action)).toContain('console.unlock');
  });

  it('keeps an audit log of counselor actions', async () => {
    const audit = await staff.boss!.get<{ items: { action: string; subject?: string }[] }>(`/audit?subject=${conversationId}`);
    expect(audit.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['conversation.escalate', 'handoff.assign']));
  });
});

describe('login rate limiting and secure cookies', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '3', CONSOLE_SECURE_COOKIE: 'true' });
  });
  afterAll(async () => {
    await service.close();
  });

  it('marks the cookie Secure when configured for TLS', async () => {
    const res = await fetch(`${service.url}/api/console/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: ADMIN.login, password: ADMIN.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('answers 429 once a client exceeds the login attempts per minute', async () => {
    // The successful sign-in above was attempt 1 of 3 from this address.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await new ConsoleClient(service.url).login('nobody', 'guess-guess')).status);
    expect(statuses).toEqual([401, 401, 429]);
  });
});
