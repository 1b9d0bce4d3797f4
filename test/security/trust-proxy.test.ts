/**
 * TRUST_PROXY (issue 12): `true` believed whatever X-Forwarded-For a client sent, so a forged
 * header beat the session rate limit, the KakaoTalk allow-list and the login limit. Only a hop
 * count or the proxies' addresses are accepted now: the address a client writes into the header
 * is ignored, only what the trusted proxy appended counts.
 */
import { kakaoSkillRequest } from '../../channels/kakao/fake-kakao-server';
import { loadConfig } from '../../src/config';
import type { Service } from '../../src/main';
import { startService } from '../support/service';

/** What a proxy in front forwards: the client's forged entry, then the address it saw. */
const forwarded = (forged: string, real: string) => ({ 'x-forwarded-for': `${forged}, ${real}` });

describe('TRUST_PROXY configuration', () => {
  it.each(['true', 'yes', 'TRUE'])('refuses %s and says what to write instead', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.0\/8,127\.0\.0\.1/);
  });

  it('accepts a hop count or addresses, CIDR ranges and named ranges', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback']);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY entry "proxy.example"/);
  });
});

describe('a forged X-Forwarded-For behind one trusted proxy', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({
      TRUST_PROXY: '1',
      LOGIN_RATE_LIMIT: '3',
      KAKAO_SKILL_SECRET: 'kakao-skill-secret-0123456789abcdef',
      KAKAO_ALLOWED_IPS: '198.51.100.0/24',
    });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
  });

  it('does not escape the session rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await fetch(`${service.url}/api/app/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...forwarded(`203.0.113.${i}`, '192.0.2.10') },
        body: JSON.stringify({ deviceId: 'd', locale: 'ko-KR' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('does not pass the KakaoTalk allow-list by naming an allowed address', async () => {
    const res = await fetch(`${service.url}/webhooks/kakao/kakao-skill-secret-0123456789abcdef`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forwarded('198.51.100.5', '192.0.2.66') },
      body: JSON.stringify(kakaoSkillRequest({ userId: 'b3f1c0de0001a1b2c3d4e5f6', utterance: '안녕하세요' })),
    });
    expect(res.status).toBe(403);
  });

  it('does not escape the login rate limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${service.url}/api/console/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...forwarded(`203.0.113.${100 + i}`, '192.0.2.20') },
        body: JSON.stringify({ login: 'nobody', password: 'guess-guess' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
