/**
 * Issue 12 (medium): long-polls have back-pressure. A token may hold 3 open waits, an instance
 * LONG_POLL_MAX_WAITS in all; more are refused at once with Retry-After instead of piling up, and the
 * per-token rate limit keys on the token, however the Authorization header is spaced.
 */
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';

describe('long-poll back-pressure', () => {
  let service: Service;
  const aborts: AbortController[] = [];

  beforeAll(async () => {
    service = await startService({ LONG_POLL_MAX_WAITS: '4' });
  }, 240_000);
  afterEach(() => {
    for (const a of aborts.splice(0)) a.abort();
  });
  afterAll(async () => {
    await service?.close();
  });

  async function resident(): Promise<AppClient & { cursorNow: string }> {
    const app = new AppClient(service.url);
    await app.start();
    await app.poll(0); // the cursor after whatever is already there
    return Object.assign(app, { cursorNow: app.cursor ?? '' });
  }

  /** Starts a long wait and resolves with its status once the server answered (or never, while it waits). */
  function openWait(app: AppClient, authorization = `Bearer ${app.token}`) {
    const abort = new AbortController();
    aborts.push(abort);
    const q = new URLSearchParams({ wait: '60', ...(app.cursor && { after: app.cursor }) });
    return fetch(`${service.url}/api/app/v1/messages?${q}`, { headers: { authorization }, signal: abort.signal })
      .then((res) => ({ status: res.status, retryAfter: res.headers.get('retry-after') }))
      .catch(() => ({ status: 0, retryAfter: null }));
  }

  /** Waits until the server holds `n` open waits (so the next request meets the bound). */
  async function untilOpen(n: number) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      const open = Number(/^dajeong_long_poll_open_waits (\d+)/m.exec(metrics)?.[1] ?? -1);
      if (open === n) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the server never held ${n} open waits`);
  }

  it('lets one token hold three waits and refuses the fourth at once with 429 and Retry-After', async () => {
    const app = await resident();
    void openWait(app);
    void openWait(app);
    void openWait(app);
    await untilOpen(3);
    expect(await openWait(app)).toEqual({ status: 429, retryAfter: '1' });
  });

  it('refuses waits past the instance bound with 503 and Retry-After', async () => {
    const apps = await Promise.all([resident(), resident(), resident(), resident(), resident()]);
    for (const app of apps.slice(0, 4)) void openWait(app);
    await untilOpen(4);
    expect(await openWait(apps[4]!)).toEqual({ status: 503, retryAfter: '5' });
  });

  it('counts requests per token however the Authorization header is spaced', async () => {
    const app = await resident();
    const statuses: number[] = [];
    // resident() already used one of the token's 120 requests a minute.
    for (let i = 0; i < 120; i++) {
      const authorization = i % 2 ? `Bearer ${app.token}` : `Bearer    ${app.token}`;
      statuses.push((await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization } })).status);
    }
    expect(statuses.slice(0, 119).every((s) => s === 200)).toBe(true);
    expect(statuses[119]).toBe(429);
  });
});
