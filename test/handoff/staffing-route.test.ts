/**
 * The staffing forecast through the console API: arrivals per hour of the week and handle time
 * come from the stored queue episodes (requeues are not new arrivals), Erlang C gives the
 * counselors needed at the configured target, and the counselors scheduled per hour come from
 * their shifts. Supervisors only.
 */
import { requiredAgents } from '../../src/handoff/erlang-c';
import { koreaDayStart, koreaDay, KOREA_OFFSET_MS } from '../../src/handoff/shift-schedule';
import type { Service } from '../../src/main';
import { startService } from '../support/service';
import { createStaff, type ConsoleClient } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const DAY_MS = 86_400_000;

interface Hour {
  start: string;
  hourOfWeek: number;
  arrivalsPerHour: number;
  required: number;
  scheduled: number;
}

describe('GET /staffing', () => {
  let service: Service;
  let boss: ConsoleClient;
  let kim: ConsoleClient;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', SHIFT_HOURS: 'day=08-17,night=16-24,graveyard=00-09', COUNSELOR_MAX_CHATS: '3' });
    const staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', shift: 'day' },
      { login: 'lee', role: 'counselor', shift: 'day' },
      { login: 'park', role: 'counselor', shift: 'night' },
      { login: 'choi', role: 'counselor' },
      { login: 'boss', role: 'supervisor', shift: 'day' },
    ]);
    ({ boss, kim } = staff as Record<'boss' | 'kim', ConsoleClient>);
    // Two weeks of history: 60 chats queued at 10:xx Korea time every day, each handled in 5 minutes,
    // plus one requeue an hour later (the same chat again, not a new arrival).
    const today = koreaDay(new Date());
    for (let d = 14; d >= 1; d--) {
      const ten = new Date(koreaDayStart(today).getTime() - d * DAY_MS + 10 * 3600_000);
      for (let i = 0; i < 60; i++) {
        const queuedAt = new Date(ten.getTime() + i * 60_000);
        const assignedAt = new Date(queuedAt.getTime() + 30_000);
        await service.store.episodes.open({
          id: `s-${d}-${i}:1`,
          conversationId: `s-${d}-${i}`,
          handoffSeq: 1,
          residentId: 'r',
          channel: 'app',
          language: 'ko',
          priority: 'request',
          reason: 'counselor_request',
          queuedAt,
          counselorId: 'x',
          assignedAt,
          endedAt: new Date(assignedAt.getTime() + 300_000),
          outcome: 'closed',
        });
      }
      await service.store.episodes.open({ id: `s-${d}-0:2`, conversationId: `s-${d}-0`, handoffSeq: 2, residentId: 'r', channel: 'app', language: 'ko', priority: 'request', reason: 'requeue', queuedAt: new Date(ten.getTime() + 3600_000) });
    }
  });
  afterAll(async () => {
    await service.close();
  });

  it('forecasts counselors needed per hour for 7 days from the history, beside those scheduled', async () => {
    const res = await boss.get<{ hours: Hour[]; handleSeconds: number; roster: { scheduled: number; unscheduled: number } }>('/staffing');
    expect(res.status).toBe(200);
    const { hours, handleSeconds, roster } = res.body;
    expect(hours).toHaveLength(168);
    expect(handleSeconds).toBe(300);
    // Counselors only: kim, lee, park have shifts; choi has none.
    expect(roster).toEqual({ scheduled: 3, unscheduled: 1 });

    const koreaHour = (h: Hour) => new Date(Date.parse(h.start) + KOREA_OFFSET_MS).getUTCHours();
    // Today's weekday has one more 10:00 in the history window (today's, if it passed) than the others.
    const todaySlot = Math.floor(hours[0]!.hourOfWeek / 24);
    const tens = hours.filter((h) => koreaHour(h) === 10 && Math.floor(h.hourOfWeek / 24) !== todaySlot);
    expect(tens.length).toBe(6);
    const needed = requiredAgents(60, 300, { serviceLevel: 0.8, targetSeconds: 60, concurrency: 3 }).agents;
    expect(needed).toBeGreaterThan(1);
    for (const h of tens) expect(h).toMatchObject({ arrivalsPerHour: 60, required: needed, scheduled: 2 });
    // The requeues at 11:00 are not arrivals; nobody is needed at night.
    for (const h of hours.filter((x) => koreaHour(x) === 11 || koreaHour(x) === 3)) expect(h).toMatchObject({ arrivalsPerHour: 0, required: 0 });
    // Day and night shifts overlap at 16:00; the graveyard shift has nobody.
    expect(hours.filter((h) => koreaHour(h) === 16).every((h) => h.scheduled === 3)).toBe(true);
    expect(hours.filter((h) => koreaHour(h) === 3).every((h) => h.scheduled === 0)).toBe(true);
  });

  it('is for supervisors', async () => {
    expect((await kim.get('/staffing')).status).toBe(403);
  });
});
