/**
 * The app API's budgets come from configuration: a token's requests per minute
 * (APP_REQUESTS_PER_MINUTE) and an address's new sessions per minute (APP_SESSIONS_PER_MINUTE).
 * The API contract check raises them so that its generated requests reach the logic behind the
 * limiter; an operator may tune them to the province app's traffic.
 */
import { appApiSettings } from '../../channels/app/app-adapter';
import type { Service } from '../../src/main';
import { startService } from '../support/service';

describe('app API budgets from configuration', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ APP_REQUESTS_PER_MINUTE: '5', APP_SESSIONS_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await service?.close();
  });
  const openSession = () =>
    fetch(`${service.url}/api/app/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'budget' }) });

  it('answers 429 after the configured requests of one token', async () => {
    const { token } = (await (await openSession()).json()) as { token: string };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${token}` } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('answers 429 to the address after the configured sessions a minute', async () => {
    // The first test opened one session from this address already.
    expect((await openSession()).status).toBe(201);
    expect((await openSession()).status).toBe(429);
  });

  it('keeps the documented defaults when not configured', () => {
    expect(appApiSettings({})).toMatchObject({ requestsPerMinute: 120, sessionsPerMinute: 30 });
    expect(() => appApiSettings({ APP_REQUESTS_PER_MINUTE: '0' })).toThrow(/APP_REQUESTS_PER_MINUTE/);
  });
});
