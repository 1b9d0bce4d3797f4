/**
 * Unbounded growth (issue 12): app and web chat sessions never expired, so their tokens worked
 * forever and sessions that never reached a counselor were never deleted. A token unused for
 * APP_SESSION_IDLE_DAYS now stops working (and the retention sweep ends the session, see
 * test/store/retention-sweeper.test.ts); a token in use keeps working.
 */
import { loadConfig } from '../../src/config';
import { hashToken, newToken } from '../../src/http/app-auth';
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';

const DAY = 86_400_000;

describe('app session idle expiry', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ APP_SESSION_IDLE_DAYS: '30' });
  });
  afterAll(async () => {
    await service?.close();
  });

  const read = (app: AppClient) => fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${app.token}` } });

  it('refuses a token unused for longer than APP_SESSION_IDLE_DAYS, with the same 401 as a wrong one', async () => {
    const app = new AppClient(service.url);
    await app.start();
    expect((await read(app)).status).toBe(200);
    // A second device of the same resident that signed in 31 days ago and never came back.
    const stale = Object.assign(new AppClient(service.url), { token: newToken() });
    await service.store.appSessions.create({
      tokenHash: hashToken(stale.token),
      residentId: app.residentId,
      conversationId: app.conversationId,
      deviceId: 'old-phone',
      createdAt: new Date(Date.now() - 31 * DAY),
    });
    const res = await read(stale);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Missing or invalid token' } });
    expect((await read(app)).status).toBe(200);
  });

  it('keeps a token in use working, counting idleness from the last use', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const hash = hashToken(app.token);
    await service.store.appSessions.touch(hash, new Date(Date.now() - 29 * DAY));
    expect((await read(app)).status).toBe(200);
    const seen = (await service.store.appSessions.findByTokenHash(hash))?.lastSeenAt;
    expect(Date.now() - seen!.getTime()).toBeLessThan(DAY);
  });

  it('rejects APP_SESSION_IDLE_DAYS below zero at start-up', () => {
    expect(() => loadConfig({ APP_SESSION_IDLE_DAYS: '-1' })).toThrow(/APP_SESSION_IDLE_DAYS/);
    expect(loadConfig({}).APP_SESSION_IDLE_DAYS).toBe(30);
  });
});
