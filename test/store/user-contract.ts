/**
 * Contract of the console user and session stores; every Store implementation runs it.
 * Call runUserContract from a test file with a factory returning a fresh, empty store.
 */
import type { Store } from '../../src/core/store-port';
import type { NewConsoleUser } from '../../src/core/user-port';

export function runUserContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`user store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const input = (login: string, extra: Partial<NewConsoleUser> = {}): NewConsoleUser => ({
      login,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      role: 'counselor',
      displayName: login,
      languages: ['ko'],
      teams: [],
      ...extra,
    });

    it('creates users offline with no failed logins, and finds them by login case-insensitively', async () => {
      const u = await store.users.create(input('Kim.Counselor', { languages: ['ko', 'vi'], teams: ['interpreters'], shift: 'night' }));
      expect(u).toMatchObject({ login: 'kim.counselor', presence: 'offline', failedLogins: 0, languages: ['ko', 'vi'], teams: ['interpreters'], shift: 'night' });
      expect(Object.prototype.toString.call(u.createdAt)).toBe('[object Date]');
      expect((await store.users.findByLogin('KIM.COUNSELOR'))?.id).toBe(u.id);
      expect(await store.users.get(u.id)).toEqual(u);
      expect(await store.users.findByLogin('nobody')).toBeUndefined();
    });

    it('refuses a second user with the same login, even concurrently', async () => {
      const results = await Promise.allSettled([1, 2, 3].map(() => store.users.create(input('same'))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
      await expect(store.users.create(input('SAME'))).rejects.toMatchObject({ code: 'conflict' });
    });

    it('updates fields, removes fields set to undefined and rejects a missing user', async () => {
      const u = await store.users.create(input('lee'));
      const at = new Date();
      const v = await store.users.update(u.id, { presence: 'available', presenceAt: at, failedLogins: 3, lockedUntil: at });
      expect(v).toMatchObject({ presence: 'available', failedLogins: 3, lockedUntil: at, login: 'lee' });
      const w = await store.users.update(u.id, { lockedUntil: undefined, failedLogins: 0 });
      expect(w.lockedUntil).toBeUndefined();
      expect((await store.users.get(u.id))?.lockedUntil).toBeUndefined();
      await expect(store.users.update('missing', { presence: 'away' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('keeps a care break with its dates, and a qa reviewer as a role of its own', async () => {
      const u = await store.users.create(input('rest'));
      const from = new Date('2026-12-06T01:00:00.000Z');
      const until = new Date('2026-12-06T01:10:00.000Z');
      await store.users.update(u.id, { careBreak: { from, until } });
      expect((await store.users.get(u.id))?.careBreak).toEqual({ from, until });
      await store.users.create(input('rev', { role: 'qa' }));
      expect((await store.users.list({ role: 'qa' })).map((x) => x.login)).toEqual(['rev']);
    });

    it('lists all users or one role', async () => {
      await store.users.create(input('a'));
      await store.users.create(input('b', { role: 'supervisor' }));
      await store.users.create(input('c', { role: 'admin' }));
      expect((await store.users.list()).map((u) => u.login).sort()).toEqual(['a', 'b', 'c']);
      expect((await store.users.list({ role: 'supervisor' })).map((u) => u.login)).toEqual(['b']);
    });

    it('keeps sessions until they expire, slides expiry, and deletes one or all of a user', async () => {
      const now = new Date();
      const later = new Date(now.getTime() + 3_600_000);
      await store.consoleSessions.create({ tokenHash: 'h1', userId: 'u1', csrfToken: 'c1', createdAt: now, expiresAt: later });
      await store.consoleSessions.create({ tokenHash: 'h2', userId: 'u1', csrfToken: 'c2', createdAt: now, expiresAt: later });
      await store.consoleSessions.create({ tokenHash: 'h3', userId: 'u2', csrfToken: 'c3', createdAt: now, expiresAt: later });
      expect(await store.consoleSessions.find('h1', now)).toMatchObject({ userId: 'u1', csrfToken: 'c1' });
      expect(await store.consoleSessions.find('h1', new Date(later.getTime() + 1))).toBeUndefined();
      const further = new Date(later.getTime() + 3_600_000);
      await store.consoleSessions.extend('h1', further);
      expect(await store.consoleSessions.find('h1', new Date(later.getTime() + 1))).toMatchObject({ expiresAt: further });
      await store.consoleSessions.delete('h1');
      expect(await store.consoleSessions.find('h1', now)).toBeUndefined();
      expect(await store.consoleSessions.deleteByUser('u1')).toBe(1);
      expect(await store.consoleSessions.find('h2', now)).toBeUndefined();
      expect(await store.consoleSessions.find('h3', now)).toBeDefined();
      await expect(
        store.consoleSessions.create({ tokenHash: 'h3', userId: 'u9', csrfToken: 'x', createdAt: now, expiresAt: later }),
      ).rejects.toMatchObject({ code: 'conflict' });
    });

    it('records sign-in attempts one by one and lists them newest first, by login and address', async () => {
      const t = (s: number) => new Date(Date.UTC(2026, 5, 1, 9, 0, s));
      const a1 = await store.loginAttempts.add({ login: 'kim', address: '10.0.0.1', at: t(1) });
      await store.loginAttempts.add({ login: 'kim', address: '10.0.0.2', at: t(2) });
      await store.loginAttempts.add({ login: 'kim', address: '10.0.0.1', at: t(3) });
      await store.loginAttempts.add({ login: 'lee', address: '10.0.0.1', at: t(4) });
      await Promise.all([1, 2, 3, 4, 5].map(() => store.loginAttempts.add({ login: 'park', address: 'x', at: t(5) })));
      const q = { login: 'kim', since: t(0), until: t(9), limit: 10 };
      expect((await store.loginAttempts.list(q)).map((a) => [a.address, a.at.getTime()])).toEqual([
        ['10.0.0.1', t(3).getTime()],
        ['10.0.0.2', t(2).getTime()],
        ['10.0.0.1', t(1).getTime()],
      ]);
      expect(await store.loginAttempts.list({ ...q, address: '10.0.0.1' })).toHaveLength(2);
      expect(await store.loginAttempts.list({ ...q, since: t(2), until: t(2) })).toHaveLength(1);
      expect(await store.loginAttempts.list({ ...q, limit: 1 })).toHaveLength(1);
      expect(await store.loginAttempts.list({ ...q, login: 'park' })).toHaveLength(5);
      await store.loginAttempts.remove(a1.id);
      expect(await store.loginAttempts.list(q)).toHaveLength(2);
      expect(await store.loginAttempts.clear('kim')).toBe(2);
      expect(await store.loginAttempts.list(q)).toEqual([]);
      expect(await store.loginAttempts.deleteBefore(t(5))).toBe(1);
      expect(await store.loginAttempts.list({ ...q, login: 'park' })).toHaveLength(5);
    });
  });
}
