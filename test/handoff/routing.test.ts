/**
 * Queue and routing: crisis jumps the queue (and alerts supervisors), first come first served
 * within a priority, language skills first, the per-counselor cap, SLA breach alerts, honest
 * "nobody is free" notices and position updates as the queue moves.
 */
import type { Service } from '../../src/main';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually, type ConsoleClient, type QueueItem } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const BASE = { ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', HANDOFF_TICK_MS: '100' };

async function resident(service: Service, locale: string, text: string): Promise<AppClient> {
  const app = new AppClient(service.url);
  await app.start({ deviceId: 'd', locale });
  await app.say(text);
  await eventually(async () => {
    const c = await service.store.conversations.get(app.conversationId);
    return c?.state === 'queued' || c?.state === 'assigned';
  }, 10_000, 'escalated');
  return app;
}

async function received(app: AppClient, seen: AppMessage[], match: (m: AppMessage) => boolean, what: string): Promise<AppMessage> {
  return eventually(async () => {
    seen.push(...(await app.poll(1)));
    return seen.find(match);
  }, 10_000, what);
}

const assigneeOf = async (service: Service, id: string) => (await service.store.conversations.get(id))?.assigneeId;

describe('queue order and supervisor alerts (manual routing)', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  beforeAll(async () => {
    service = await startService({ ...BASE, ROUTING: 'manual', SLA_SECONDS: '1', QUEUE_NOTICE_SECONDS: '0' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'] },
      { login: 'boss', role: 'supervisor' },
    ]);
  });
  afterAll(async () => {
    await service.close();
  });

  it('serves crisis first, then first come first served within a priority, and alerts supervisors of the crisis', async () => {
    const first = await resident(service, 'ko-KR', '상담사 연결해 주세요');
    const second = await resident(service, 'ko-KR', '상담원과 통화하고 싶어요');
    const crisis = await resident(service, 'ko-KR', '요즘 너무 힘들어서 그냥 죽고 싶어요');
    const queue = await staff.kim!.get<{ items: QueueItem[] }>('/queue');
    const order = queue.body.items.map((i) => i.conversationId).filter((id) => [first, second, crisis].some((a) => a.conversationId === id));
    expect(order).toEqual([crisis.conversationId, first.conversationId, second.conversationId]);
    const head = queue.body.items[0]!;
    expect(head).toMatchObject({ conversationId: crisis.conversationId, priority: 'crisis', position: 1 });
    expect(queue.body.items.map((i) => i.position)).toEqual(queue.body.items.map((_, i) => i + 1));

    const alerts = await eventually(async () => {
      const res = await staff.boss!.get<{ items: { kind: string; conversationId: string; details: { notifiedSupervisors: string[] } }[] }>('/alerts');
      return res.body.items.find((a) => a.kind === 'crisis' && a.conversationId === crisis.conversationId);
    }, 10_000, 'crisis alert');
    const bossId = (await staff.boss!.get<{ user: { id: string } }>('/session')).body.user.id;
    expect(alerts.details.notifiedSupervisors).toEqual([bossId]);
    // The resident got the safe-messaging text with both crisis lines at once.
    const seen = await crisis.poll(0);
    expect(seen.find((m) => m.author === 'bot')?.text).toEqual(expect.stringMatching(/109[\s\S]*1577-0199/));
  });

  it('raises one SLA alert for a chat left waiting past its SLA, and keeps it in the queue', async () => {
    const app = await resident(service, 'ko-KR', '사람이랑 얘기하고 싶어요');
    const alert = await eventually(async () => {
      const res = await staff.boss!.get<{ items: { id: string; kind: string; conversationId: string; message: string }[] }>('/alerts?open=true');
      return res.body.items.find((a) => a.kind === 'sla_breach' && a.conversationId === app.conversationId);
    }, 15_000, 'SLA alert');
    expect(alert.message).toMatch(/SLA 1초를 넘었습니다/);
    // Later passes do not raise it again, and the chat is still waiting to be served. A second chat
    // queued now gets its own SLA alert only after many more passes have run over the first one.
    const later = await resident(service, 'ko-KR', '상담사와 이야기하고 싶어요');
    await eventually(async () => {
      const res = await staff.boss!.get<{ items: { kind: string; conversationId: string }[] }>('/alerts');
      return res.body.items.find((a) => a.kind === 'sla_breach' && a.conversationId === later.conversationId);
    }, 15_000, 'SLA alert of a later chat');
    const all = await staff.boss!.get<{ items: { kind: string; conversationId: string }[] }>('/alerts');
    expect(all.body.items.filter((a) => a.kind === 'sla_breach' && a.conversationId === app.conversationId)).toHaveLength(1);
    const queue = await staff.kim!.get<{ items: QueueItem[] }>('/queue');
    expect(queue.body.items.map((i) => i.conversationId)).toContain(app.conversationId);
    expect((await staff.boss!.post(`/alerts/${alert.id}/ack`)).status).toBe(200);
    const open = await staff.boss!.get<{ items: { id: string }[] }>('/alerts?open=true');
    expect(open.body.items.map((a) => a.id)).not.toContain(alert.id);
  });

  it('tells waiting residents their new position as the queue moves', async () => {
    // Empty the queue first so positions are predictable.
    for (const item of (await staff.boss!.get<{ items: QueueItem[] }>('/queue')).body.items) {
      await staff.boss!.post(`/conversations/${item.conversationId}/accept`);
      await staff.boss!.post(`/conversations/${item.conversationId}/close`, { resolution: 'other', confirm: true });
    }
    const a = await resident(service, 'en-US', 'I want to talk to a counselor');
    const b = await resident(service, 'en-US', 'Can I speak to a human agent please');
    const seenB: AppMessage[] = [];
    await received(b, seenB, (m) => /number 2 in the queue/.test(m.text ?? ''), 'position 2');
    await staff.kim!.post(`/conversations/${a.conversationId}/accept`);
    const update = await received(b, seenB, (m) => /number 1 in the queue/.test(m.text ?? ''), 'position 1');
    expect(update.author).toBe('system');
    expect(update.text).toMatch(/estimated wait is about \d+ min/);
    await staff.kim!.post(`/conversations/${a.conversationId}/close`, { resolution: 'other', confirm: true });
    await staff.kim!.post(`/conversations/${b.conversationId}/accept`);
    await staff.kim!.post(`/conversations/${b.conversationId}/close`, { resolution: 'other', confirm: true });
  });
});

describe('automatic routing', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  let ids: Record<string, string>;
  beforeAll(async () => {
    // Shifts drive routing (test/handoff/shift-routing.test.ts); here every shift covers the whole
    // day, so nguyen's night shift does not make the outcome depend on the time the test runs.
    service = await startService({ ...BASE, ROUTING: 'auto', SKILL_FALLBACK_SECONDS: '600', SHIFT_HOURS: 'day=00-24,night=00-24,graveyard=00-24' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko'], maxConcurrent: 2 },
      { login: 'nguyen', role: 'counselor', languages: ['ko', 'vi'], maxConcurrent: 3, shift: 'night' },
    ]);
    ids = {};
    for (const login of ['kim', 'nguyen']) ids[login] = (await staff[login]!.get<{ user: { id: string } }>('/session')).body.user.id;
  });
  afterAll(async () => {
    await service.close();
  });

  it('offers a Vietnamese-speaking resident to the counselor with that skill first, even when busier', async () => {
    await staff.nguyen!.post('/presence', { status: 'available' });
    const korean = await resident(service, 'ko-KR', '상담사 연결해 주세요');
    await eventually(async () => (await assigneeOf(service, korean.conversationId)) === ids.nguyen, 10_000, 'first chat to nguyen');
    await staff.kim!.post('/presence', { status: 'available' });
    // nguyen now holds one chat and kim none; the Vietnamese resident still goes to nguyen.
    const vietnamese = await resident(service, 'vi-VN', 'Tôi muốn nói chuyện với tư vấn viên');
    await eventually(async () => (await assigneeOf(service, vietnamese.conversationId)) === ids.nguyen, 10_000, 'vi chat to nguyen');
    const seen: AppMessage[] = [];
    const joined = await received(vietnamese, seen, (m) => m.author === 'system' && /nguyen/.test(m.text ?? ''), 'joined notice');
    expect(joined.text).toMatch(/Tư vấn viên nguyen đã tham gia/);
    // A Korean resident goes to the least-loaded counselor.
    const korean2 = await resident(service, 'ko-KR', '상담원 연결 부탁드려요');
    await eventually(async () => (await assigneeOf(service, korean2.conversationId)) === ids.kim, 10_000, 'ko chat to kim');
  });

  it('respects the per-counselor cap and assigns again when a chat closes', async () => {
    await staff.nguyen!.post('/presence', { status: 'away' });
    // kim (cap 2) holds one chat; two more Korean residents arrive.
    const x = await resident(service, 'ko-KR', '상담사랑 얘기할래요');
    const y = await resident(service, 'ko-KR', '상담사 불러 주세요');
    await eventually(async () => (await assigneeOf(service, x.conversationId)) === ids.kim, 10_000, 'x to kim');
    // y's queue notice is sent only after routing was tried for y and found nobody with room.
    await received(y, [], (m) => m.author === 'system' && /대기/.test(m.text ?? ''), 'queue notice to y');
    expect((await service.store.conversations.get(y.conversationId))?.state).toBe('queued');
    expect((await service.store.conversations.list({ states: ['assigned'], assigneeId: ids.kim })).length).toBe(2);
    // Manual accepts respect the cap too.
    const refused = await staff.kim!.post(`/conversations/${y.conversationId}/accept`);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'at_capacity' } } });
    await staff.kim!.post(`/conversations/${x.conversationId}/close`, { resolution: 'answered', confirm: true });
    await eventually(async () => (await assigneeOf(service, y.conversationId)) === ids.kim, 10_000, 'y to kim after a close');
  });

  it('tells the resident honestly when nobody who can help is on duty, and keeps a left message in the queue', async () => {
    await staff.kim!.post('/presence', { status: 'away' });
    await staff.nguyen!.post('/presence', { status: 'offline' });
    const app = await resident(service, 'vi-VN', 'Tôi cần gặp tư vấn viên');
    const seen: AppMessage[] = [];
    const honest = await received(app, seen, (m) => Boolean(m.quickReplies?.some((q) => q.payload === 'handoff:message')), 'no-counselor notice');
    expect(honest.text).toMatch(/Hiện chưa có tư vấn viên/);
    expect(honest.text).toMatch(/Ca tư vấn tiếp theo bắt đầu khoảng \d\d:00/);
    const leave = honest.quickReplies!.find((q) => q.payload === 'handoff:message')!;
    await app.say(leave.label, { payload: leave.payload });
    await received(app, seen, (m) => /để lại câu hỏi/.test(m.text ?? ''), 'leave-a-message prompt');
    await app.say('Số điện thoại của tôi là 010-1234-5678, xin gọi lại');
    const queue = await staff.kim!.get<{ items: (QueueItem & { callback: boolean })[] }>('/queue');
    expect(queue.body.items.find((i) => i.conversationId === app.conversationId)).toMatchObject({ callback: true, language: 'vi' });
    expect((await service.store.conversations.get(app.conversationId))?.state).toBe('queued');
  });
});
