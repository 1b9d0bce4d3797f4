/**
 * Shifts drive routing, through the whole service: the auto-router gives new chats only to
 * counselors on shift; a counselor whose shift just ended (grace period) gets back a chat they held
 * before but nothing new; an off-shift counselor gets nothing, and a resident only they could serve
 * is told honestly when the next shift starts; putting them on a shift that covers now routes it.
 *
 * The shift hours are set around the current Korea hour so the test means the same at any time of
 * day: "day" runs from an hour ago for three more hours, "graveyard" ended at the top of this hour
 * (grace 120 minutes), "night" starts in five hours.
 */
import type { Service } from '../../src/main';
import { koreaHour } from '../../src/handoff/shift-schedule';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const hourAt = (h: number) => ((h % 24) + 24) % 24;
const range = (start: number, end: number) => `${hourAt(start)}-${hourAt(end) || 24}`;

describe('shift-driven routing', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  const ids: Record<string, string> = {};
  const h = koreaHour(new Date());
  const nightStart = `${String(hourAt(h + 5)).padStart(2, '0')}:00`;

  beforeAll(async () => {
    service = await startService({
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      ROUTING: 'auto',
      HANDOFF_TICK_MS: '100',
      SKILL_FALLBACK_SECONDS: '600',
      SHIFT_HOURS: `day=${range(h - 1, h + 3)},graveyard=${range(h - 3, h)},night=${range(h + 5, h + 8)}`,
      SHIFT_GRACE_MINUTES: '120',
    });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'anna', role: 'counselor', languages: ['ko'], shift: 'day', maxConcurrent: 1 },
      { login: 'cyan', role: 'counselor', languages: ['ko'], shift: 'graveyard' },
      { login: 'bora', role: 'counselor', languages: ['ko', 'vi'], shift: 'night' },
      { login: 'boss', role: 'supervisor' },
    ]);
    for (const login of ['anna', 'cyan', 'bora']) {
      ids[login] = (await staff[login]!.get<{ user: { id: string } }>('/session')).body.user.id;
      await staff[login]!.post('/presence', { status: 'available' });
    }
  });
  afterAll(async () => {
    await service?.close();
  });

  const assignee = async (id: string) => (await service.store.conversations.get(id))?.assigneeId;

  async function escalate(locale: string, text: string) {
    const app = new AppClient(service.url);
    await app.start({ deviceId: `d-${Math.random()}`, locale });
    await app.say(text);
    return app;
  }

  async function received(app: AppClient, match: (m: AppMessage) => boolean, what: string) {
    const seen: AppMessage[] = [];
    return eventually(async () => {
      seen.push(...(await app.poll(1)));
      return seen.find(match);
    }, 10_000, what);
  }

  it('gives a new chat to the counselor on shift, and nothing to those whose shift is over', async () => {
    const first = await escalate('ko-KR', '상담사 연결해 주세요');
    await eventually(async () => (await assignee(first.conversationId)) === ids.anna, 10_000, 'first chat to anna');

    // anna is at her cap of one; cyan (grace) and bora (off shift) are free but get no new chat.
    const second = await escalate('ko-KR', '상담원과 얘기하고 싶어요');
    const notice = await received(second, (m) => m.author === 'system', 'queue notice');
    expect(notice.text).toMatch(/현재 대기 순서는 \d+번째/);
    expect(await service.store.conversations.get(second.conversationId)).toMatchObject({ state: 'queued' });

    // cyan took it by hand (allowed), then it went back to the queue: in her grace period she gets it back.
    expect((await staff.cyan!.post(`/conversations/${second.conversationId}/accept`)).status).toBe(200);
    expect((await staff.boss!.post(`/conversations/${second.conversationId}/requeue`)).status).toBe(200);
    await eventually(async () => (await assignee(second.conversationId)) === ids.cyan, 10_000, 'held chat back to cyan');
    const audit = await staff.boss!.get<{ items: { action: string; actor: string; details: { counselorId?: string; by?: string } }[] }>(`/audit?subject=${second.conversationId}`);
    // The audit lists newest first.
    expect(audit.body.items.filter((e) => e.action === 'handoff.assign').map((e) => [e.details.counselorId, e.details.by]).reverse()).toEqual([
      [ids.cyan, 'accept'],
      [ids.cyan, 'auto-router'],
    ]);
  });

  it('tells a resident only an off-shift counselor could serve when the next shift starts, and routes once that counselor is put on shift', async () => {
    const vietnamese = await escalate('vi-VN', 'Tôi muốn nói chuyện với tư vấn viên');
    const honest = await received(vietnamese, (m) => m.author === 'system', 'no-counselor notice');
    expect(honest.text).toMatch(/Hiện chưa có tư vấn viên/);
    expect(honest.text).toContain(`Ca tư vấn tiếp theo bắt đầu khoảng ${nightStart}`);
    expect(await service.store.conversations.get(vietnamese.conversationId)).toMatchObject({ state: 'queued' });

    const moved = await staff[ADMIN.login]!.request('PATCH', `/users/${ids.bora}`, { shift: 'day' });
    expect(moved.status).toBe(200);
    await eventually(async () => (await assignee(vietnamese.conversationId)) === ids.bora, 10_000, 'vi chat to bora once on shift');
  });
});
