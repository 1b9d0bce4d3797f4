/**
 * The console's server-side texts are Korean by default (the call center's working language) and
 * English when the console asks with `X-Console-Language: en`: API error messages, supervisor
 * alerts, intent names on the dashboard. Also serves the browser UIs' text tables.
 */
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { ConsoleClient, createStaff, eventually } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const EN = { 'x-console-language': 'en' };
const HANGUL = /[\uAC00-\uD7A3]/;

describe('console texts: Korean by default, English on request', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  beforeAll(async () => {
    service = await startService({ ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', ROUTING: 'manual', HANDOFF_TICK_MS: '100' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
    ]);
  });
  afterAll(async () => {
    await service.close();
  });

  it('answers a refused request in Korean, or in English when the console asks for it', async () => {
    const refused = await staff.kim!.get('/conversations?scope=all');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: '전체 상담 목록은 슈퍼바이저만 볼 수 있습니다.' } } });
    const english = await staff.kim!.request('GET', '/conversations?scope=all', undefined, EN);
    expect(english).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'Only supervisors can list every chat.' } } });
    const role = await staff.kim!.get('/dashboard');
    expect(role).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('슈퍼바이저') } } });
  });

  it('tells a wrong login in Korean on the sign-in page', async () => {
    const wrong = await new ConsoleClient(service.url).login(ADMIN.login, 'not-the-password');
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials', message: '아이디 또는 비밀번호가 올바르지 않습니다.' } } });
  });

  it('raises the crisis alert in Korean and names intents on the dashboard in the console language', async () => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'd-crisis', locale: 'ko-KR' });
    await app.say('요즘 너무 힘들어서 그냥 죽고 싶어요');
    const alert = await eventually(async () => {
      const res = await staff.boss!.get<{ items: { kind: string; conversationId: string; message: string }[] }>('/alerts');
      return res.body.items.find((a) => a.kind === 'crisis' && a.conversationId === app.conversationId);
    }, 10_000, 'crisis alert');
    expect(alert.message).toMatch(/^민원인의 위기 메시지입니다/);

    type Dashboard = { topIntents: { intent: string; label: string }[] };
    const korean = (await staff.boss!.get<Dashboard>('/dashboard?days=1')).body.topIntents;
    expect(korean.length).toBeGreaterThan(0);
    for (const item of korean) expect(item.label).toMatch(HANGUL);
    const english = (await staff.boss!.request<Dashboard>('GET', '/dashboard?days=1', undefined, EN)).body.topIntents;
    expect(english.map((i) => i.intent)).toEqual(korean.map((i) => i.intent));
    for (const item of english) expect(item.label).not.toMatch(HANGUL);
  });

  it('serves a UI namespace to browsers, whole by the fallback rule', async () => {
    const res = await fetch(`${service.url}/i18n/webchat/th.json`);
    expect(res.status).toBe(200);
    const th = (await res.json()) as Record<string, string>;
    const en = (await (await fetch(`${service.url}/i18n/webchat/en.json`)).json()) as Record<string, string>;
    // No Thai web chat file: a Thai browser gets the English table, every key.
    expect(th).toEqual(en);
    expect(res.headers.get('content-language')).toBe('en');
  });
});
