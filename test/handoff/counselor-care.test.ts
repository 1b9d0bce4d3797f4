/**
 * Counselor care through the console API with residents on the app API: a break is offered after
 * a chat with an abusive message and taken once (audited); the router gives a counselor on break
 * nothing new; supervisors see the abusive/crisis load and get one alert when a counselor had
 * several flagged chats in a row; a counselor hands an abusive chat to a supervisor in one click.
 */
import type { Service } from '../../src/main';
import { AutoRouter } from '../../src/handoff/auto-router';
import { MemoryStore } from '../../src/store/memory-store';
import { AppClient, silentLogger, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

interface Load {
  name: string;
  abuse: number;
  crisis: number;
  streak: number;
  alert: boolean;
  breakUntil?: string;
}

describe('counselor care', () => {
  let service: Service;
  let kim: ConsoleClient;
  let boss: ConsoleClient;

  /** A resident's chat accepted by kim; `say` runs after the accept (e.g. an insult). */
  async function kimsChat(say?: string): Promise<string> {
    const app = new AppClient(service.url);
    await app.start({ deviceId: `d-${Math.random()}`, locale: 'ko-KR' });
    await app.say('상담사 연결해 주세요');
    const id = app.conversationId;
    await eventually(async () => (await service.store.conversations.get(id))?.state === 'queued', 10_000, 'queued');
    expect((await kim.post(`/conversations/${id}/accept`)).status).toBe(200);
    if (say) {
      const { messageId } = await app.say(say);
      await eventually(async () => Boolean((await service.store.messages.get(messageId))?.handledAt), 10_000, 'turn handled');
    }
    return id;
  }
  const close = async (id: string, resolution = 'answered') => expect((await kim.post(`/conversations/${id}/close`, { resolution, confirm: true })).status).toBe(200);

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', CARE_BREAK_MINUTES: '10', CARE_ALERT_STREAK: '3' });
    const staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
    ]);
    ({ kim, boss } = staff as Record<'kim' | 'boss', ConsoleClient>);
  });
  afterAll(async () => {
    await service.close();
  });

  it('offers a break after an abusive chat, takes it once, and alerts supervisors after three flagged chats in a row', async () => {
    // A plain chat first: no break offered.
    await close(await kimsChat());
    expect((await kim.get('/care/me')).body).toEqual({});
    expect((await kim.post('/care/break')).body).toMatchObject({ error: { code: 'no_break_offered' } });

    const rude = await kimsChat('이 개새끼야 빨리 해');
    await close(rude);
    expect((await kim.get('/care/me')).body).toEqual({ offer: { conversationId: rude, kind: 'abuse', minutes: 10 } });
    const taken = await kim.post<{ breakUntil: string }>('/care/break');
    expect(taken.status).toBe(200);
    expect(Date.parse(taken.body.breakUntil) - Date.now()).toBeGreaterThan(9 * 60_000);
    // Taken: no second offer for the same chat, and the break shows.
    expect((await kim.get('/care/me')).body).toEqual({ breakUntil: taken.body.breakUntil });
    const audit = await boss.get<{ items: { action: string }[] }>(`/audit?subject=${rude}`);
    expect(audit.body.items.map((e) => e.action)).toContain('care.break');

    // Two more flagged chats (closed as abusive): the third in a row alerts the supervisors once.
    await close(await kimsChat(), 'abusive');
    let load = (await boss.get<{ items: Load[] }>('/care/load')).body.items.find((l) => l.name === 'kim')!;
    expect(load).toMatchObject({ abuse: 2, crisis: 0, streak: 2, alert: false, breakUntil: taken.body.breakUntil });
    expect((await boss.get<{ items: { kind: string }[] }>('/alerts')).body.items.filter((a) => a.kind === 'counselor_care')).toEqual([]);
    await close(await kimsChat(), 'abusive');
    const alert = await eventually(async () => (await boss.get<{ items: { kind: string; message: string }[] }>('/alerts')).body.items.find((a) => a.kind === 'counselor_care'), 10_000, 'care alert');
    expect(alert.message).toMatch(/kim 상담사가 연속 3건의 욕설·위기 상담/);
    load = (await boss.get<{ items: Load[] }>('/care/load')).body.items.find((l) => l.name === 'kim')!;
    expect(load).toMatchObject({ abuse: 3, streak: 3, alert: true });

    // A plain chat ends the run.
    await close(await kimsChat());
    load = (await boss.get<{ items: Load[] }>('/care/load')).body.items.find((l) => l.name === 'kim')!;
    expect(load).toMatchObject({ abuse: 3, streak: 0, alert: false });
    expect((await boss.get<{ items: { kind: string }[] }>('/alerts')).body.items.filter((a) => a.kind === 'counselor_care')).toHaveLength(1);
    expect((await kim.get('/care/load')).status).toBe(403);
  });

  it('hands an abusive chat to an available supervisor in one click', async () => {
    const id = await kimsChat('이 개새끼야 빨리 해');
    // The supervisor is away: nobody to hand it to.
    expect((await boss.post('/presence', { status: 'away' })).status).toBe(200);
    expect((await kim.post(`/conversations/${id}/to-supervisor`, { note: '계속 욕설' })).body).toMatchObject({ error: { code: 'no_supervisor' } });
    expect((await boss.post('/presence', { status: 'available' })).status).toBe(200);
    const handed = await kim.post<{ state: string; supervisor: { displayName: string } }>(`/conversations/${id}/to-supervisor`, { note: '계속 욕설' });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ state: 'assigned', supervisor: { displayName: 'boss' } });
    const conversation = await service.store.conversations.get(id);
    const bossId = (await service.store.users.findByLogin('boss'))!.id;
    expect(conversation).toMatchObject({ state: 'assigned', assigneeId: bossId });
    const alerts = (await boss.get<{ items: { kind: string; conversationId?: string }[] }>('/alerts')).body.items;
    expect(alerts.filter((a) => a.kind === 'abuse' && a.conversationId === id)).toHaveLength(1);
    const audit = await boss.get<{ items: { action: string }[] }>(`/audit?subject=${id}`);
    expect(audit.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['care.to_supervisor', 'handoff.transfer']));
    // Kim no longer owns it.
    expect((await kim.post(`/conversations/${id}/to-supervisor`)).status).toBe(403);
  });
});

describe('the router and care breaks', () => {
  it('leaves a counselor on break out of the available counselors until the break ends', async () => {
    const store = new MemoryStore();
    const now = new Date();
    const base = { passwordHash: 'x', role: 'counselor' as const, languages: ['ko'], teams: [], presence: 'available' as const, presenceAt: now, lastSeenAt: now };
    await store.users.create({ ...base, login: 'kim', displayName: 'kim', careBreak: { from: now, until: new Date(now.getTime() + 600_000) } });
    await store.users.create({ ...base, login: 'lee', displayName: 'lee', careBreak: { from: new Date(now.getTime() - 900_000), until: new Date(now.getTime() - 300_000) } });
    const router = new AutoRouter({ store, handoff: undefined as never, skillFallbackMs: 0, presenceTtlMs: 3_600_000, logger: silentLogger() });
    expect((await router.availableCounselors(now)).map((u) => u.login)).toEqual(['lee']);
    expect((await router.availableCounselors(new Date(now.getTime() + 601_000))).map((u) => u.login).sort()).toEqual(['kim', 'lee']);
  });
});
