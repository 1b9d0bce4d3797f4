/**
 * Secure defaults in production (issue 12): with NODE_ENV=production and nothing else configured
 * the console cookie is Secure, the web chat may be framed only by its own site (not by any site),
 * and /metrics is off until METRICS_TOKEN is set, then served only with that bearer token.
 */
import type { Service } from '../../src/main';
import { startService } from '../support/service';

const ADMIN = { ADMIN_LOGIN: 'admin', ADMIN_PASSWORD: 'admin-password-1' };
const METRICS_TOKEN = 'metrics-token-0123456789';

describe('NODE_ENV=production', () => {
  let service: Service;
  let withToken: Service;
  beforeAll(async () => {
    service = await startService({ NODE_ENV: 'production', ...ADMIN });
    withToken = await startService({ NODE_ENV: 'production', METRICS_TOKEN });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await withToken?.close();
  });

  it('marks the console session cookie Secure', async () => {
    const res = await fetch(`${service.url}/api/console/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: ADMIN.ADMIN_LOGIN, password: ADMIN.ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('lets only the web chat’s own site frame it', async () => {
    const res = await fetch(`${service.url}/webchat/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).not.toMatch(/frame-ancestors[^;]*\*/);
  });

  it('keeps /metrics off without METRICS_TOKEN, and requires the token when set', async () => {
    expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${withToken.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${withToken.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${withToken.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('dajeong_messages_total');
  });
});

describe('outside production', () => {
  it('keeps the development defaults: /metrics open, framing by any site unless configured', async () => {
    const dev = await startService({});
    try {
      expect((await fetch(`${dev.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${dev.url}/webchat/`)).headers.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    } finally {
      await dev.close();
    }
  });
});
