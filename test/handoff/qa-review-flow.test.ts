/**
 * Quality monitoring through the console API with residents on the app API: chats closed by
 * counselors are sampled for the day (once, even when asked twice at once), flagged chats are
 * queued with their reason, a QA reviewer scores against the checklist (critical items, field
 * errors, one reviewer per round), the counselor disputes and then acknowledges (audited), and the
 * report and its CSV show the review beside CSAT with formulas escaped.
 */
import type { Service } from '../../src/main';
import { koreaDay } from '../../src/handoff/shift-schedule';
import { safeCell } from '../../src/handoff/qa-report';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

interface ReviewView {
  id: string;
  conversationId: string;
  counselorId: string;
  status: string;
  reasons: string[];
  scorings: { round: number; score: number; rawScore: number; criticalFailed: boolean; answers: { itemId: string; result: string; comment?: string }[] }[];
}
interface Checklist {
  groups: { items: { id: string; critical: boolean; allowNa: boolean }[] }[];
}

describe('QA reviews through the console API', () => {
  let service: Service;
  let kim: ConsoleClient;
  let lee: ConsoleClient;
  let boss: ConsoleClient;
  let rev: ConsoleClient;
  let items: Checklist['groups'][number]['items'];

  /** A resident asks for a counselor; `counselor` accepts, answers and closes. */
  async function closedChat(counselor: ConsoleClient, before?: (id: string) => Promise<void>): Promise<string> {
    const app = new AppClient(service.url);
    await app.start({ deviceId: `d-${Math.random()}`, locale: 'ko-KR' });
    await app.say('상담사 연결해 주세요');
    const id = app.conversationId;
    await eventually(async () => (await service.store.conversations.get(id))?.state === 'queued', 10_000, 'queued');
    expect((await counselor.post(`/conversations/${id}/accept`)).status).toBe(200);
    expect((await counselor.post(`/conversations/${id}/messages`, { text: '안녕하세요, 경기도 120 상담사입니다.' })).status).toBe(200);
    await before?.(id);
    expect((await counselor.post(`/conversations/${id}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
    return id;
  }
  const allPass = () => items.map((i) => ({ itemId: i.id, result: 'pass' }));

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', QA_SAMPLE_RATE: '0.5' });
    const staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', teams: ['welfare'] },
      { login: 'lee', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
      { login: 'rev', role: 'qa' },
    ]);
    ({ kim, lee, boss, rev } = staff as Record<'kim' | 'lee' | 'boss' | 'rev', ConsoleClient>);
    // A display name a spreadsheet would run as a formula.
    const users = await staff[ADMIN.login]!.get<{ items: { id: string; login: string }[] }>('/users');
    const leeId = users.body.items.find((u) => u.login === 'lee')!.id;
    expect((await staff[ADMIN.login]!.request('PATCH', `/users/${leeId}`, { displayName: '=HYPERLINK("x")' })).status).toBe(200);
    items = (await rev.get<Checklist>('/qa/checklist')).body.groups.flatMap((g) => g.items);
  });
  afterAll(async () => {
    await service.close();
  });

  it('samples, scores, takes a dispute and an acknowledgement, and reports it', async () => {
    const kimChats = [await closedChat(kim), await closedChat(kim)];
    const abusive = await closedChat(lee, async (id) => {
      expect((await lee.post(`/conversations/${id}/report-abuse`, { note: '욕설' })).status).toBe(200);
    });
    const day = koreaDay(new Date());

    // Two supervisors press "sample now" at once: the day is sampled exactly once.
    const [a, b] = await Promise.all([boss.post<{ ran: boolean; queued: number }>('/qa/sample', { day }), boss.post<{ ran: boolean; queued: number }>('/qa/sample', { day })]);
    expect([a.body.ran, b.body.ran].sort()).toEqual([false, true]);
    // Half of kim's two chats (one), and lee's only chat, which is also flagged.
    expect(a.body.queued + b.body.queued).toBe(2);
    expect((await boss.post<{ ran: boolean }>('/qa/sample', { day })).body.ran).toBe(false);

    const queue = (await rev.get<{ items: ReviewView[] }>('/qa/reviews')).body.items;
    expect(queue.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(queue.find((r) => r.conversationId === abusive)?.reasons).toEqual(['abuse', 'sample']);
    const review = queue.find((r) => kimChats.includes(r.conversationId))!;
    expect(review.reasons).toEqual(['sample']);
    // The other chat of kim was not sampled; queueing it by hand works once.
    const other = kimChats.find((id) => id !== review.conversationId)!;
    const manual = await rev.post<{ created: boolean; review: ReviewView }>('/qa/reviews', { conversationId: other });
    expect(manual.body).toMatchObject({ created: true, review: { reasons: ['manual'], status: 'pending' } });
    expect((await rev.post<{ created: boolean }>('/qa/reviews', { conversationId: other })).body.created).toBe(false);

    // Nothing to read for the counselor before it is scored.
    expect((await kim.get<{ items: ReviewView[] }>('/qa/mine')).body.items).toEqual([]);
    expect((await kim.get(`/qa/reviews/${review.id}`)).status).toBe(403);
    // The reviewer reads the transcript.
    const detail = await rev.get<{ messages: { text?: string }[] }>(`/qa/reviews/${review.id}`);
    expect(detail.body.messages.map((m) => m.text)).toContain('안녕하세요, 경기도 120 상담사입니다.');

    // Incomplete answers are refused by field.
    const incomplete = await rev.post<{ error: { code: string; fields: { field: string }[] } }>(`/qa/reviews/${review.id}/score`, {
      answers: [{ itemId: 'accurate_answer', result: 'fail' }],
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['answers[0].comment', 'answers']));

    // A failed critical item fails the whole review.
    const failing = allPass().map((x) => (x.itemId === 'accurate_answer' ? { ...x, result: 'fail', comment: '접수 기한을 잘못 안내함' } : x));
    const scored = await rev.post<{ review: ReviewView }>(`/qa/reviews/${review.id}/score`, { answers: failing, comment: '기한 확인 필요' });
    expect(scored.status).toBe(200);
    expect(scored.body.review).toMatchObject({ status: 'scored', scorings: [{ round: 1, score: 0, criticalFailed: true }] });
    expect(scored.body.review.scorings[0]!.rawScore).toBeGreaterThan(0);
    // The round is taken: a second reviewer cannot score it again.
    expect((await boss.post(`/qa/reviews/${review.id}/score`, { answers: allPass() })).body).toMatchObject({ error: { code: 'not_scorable' } });

    // The counselor sees it; only they may answer, and a dispute needs a reason.
    const mine = (await kim.get<{ items: ReviewView[] }>('/qa/mine')).body.items;
    expect(mine.map((r) => [r.id, r.status])).toEqual([[review.id, 'scored']]);
    expect((await kim.get(`/qa/reviews/${review.id}`)).status).toBe(200);
    expect((await lee.post(`/qa/reviews/${review.id}/acknowledge`)).status).toBe(403);
    expect((await kim.post(`/qa/reviews/${review.id}/dispute`, {})).status).toBe(400);
    const disputed = await kim.post<{ review: ReviewView }>(`/qa/reviews/${review.id}/dispute`, { comment: '당시 지침으로는 맞는 기한이었습니다' });
    expect(disputed.body.review.status).toBe('disputed');

    // Back with the reviewers: a supervisor answers in round 2, then the counselor acknowledges once.
    expect((await rev.get<{ items: ReviewView[] }>('/qa/reviews?status=disputed')).body.items.map((r) => r.id)).toEqual([review.id]);
    const rescored = await boss.post<{ review: ReviewView }>(`/qa/reviews/${review.id}/score`, { answers: allPass(), comment: '지침 확인: 정정합니다' });
    expect(rescored.body.review.scorings.map((s) => [s.round, s.score])).toEqual([
      [1, 0],
      [2, 100],
    ]);
    expect((await kim.post<{ review: ReviewView }>(`/qa/reviews/${review.id}/acknowledge`, {})).body.review.status).toBe('acknowledged');
    expect((await kim.post(`/qa/reviews/${review.id}/acknowledge`, {})).body).toMatchObject({ error: { code: 'not_awaiting_answer' } });

    const audit = await boss.get<{ items: { action: string }[] }>(`/audit?subject=${review.conversationId}`);
    expect(audit.body.items.map((e) => e.action)).toEqual(expect.arrayContaining(['qa.score', 'qa.dispute', 'qa.acknowledge']));
    expect(audit.body.items.filter((e) => e.action === 'qa.score')).toHaveLength(2);

    // Lee's flagged chat scored too, so the report has two counselors.
    const leeReview = queue.find((r) => r.conversationId === abusive)!;
    expect((await rev.post(`/qa/reviews/${leeReview.id}/score`, { answers: allPass() })).status).toBe(200);

    const report = await rev.get<{
      byCounselor: { name: string; reviews: number; avgScore: number; acknowledged: number; disputed: number; csat: { responses: number } }[];
      byTeam: { team: string; reviews: number }[];
      byItem: { itemId: string; pass: number; fail: number }[];
      reviews: { conversationId: string; score: number }[];
    }>(`/qa/report?from=${day}&to=${day}`);
    expect(report.status).toBe(200);
    expect(report.body.byCounselor.find((c) => c.name === 'kim')).toMatchObject({ reviews: 1, avgScore: 100, acknowledged: 1, disputed: 0, csat: { responses: 0 } });
    expect(report.body.byTeam).toEqual([expect.objectContaining({ team: 'welfare', reviews: 1 })]);
    expect(report.body.byItem.find((i) => i.itemId === 'accurate_answer')).toMatchObject({ pass: 2, fail: 0 });
    expect(report.body.reviews.map((r) => r.conversationId).sort()).toEqual([review.conversationId, abusive].sort());

    const csv = await rev.get<string>(`/qa/report.csv?from=${day}&to=${day}`);
    expect(csv.status).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^section,period,key,name,reviews,avg_score,.*csat_kindness,csat_professionalism,csat_promptness$/);
    expect(lines.find((l) => l.includes(review.conversationId))).toMatch(new RegExp(`^review,${day},${review.conversationId},kim,1,100,0,`));
    // The formula-looking name is defused with a leading apostrophe.
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('refuses reviewers their own chat and counselors the reviewers’ routes', async () => {
    const own = await closedChat(boss);
    const { body } = await boss.post<{ review: ReviewView }>('/qa/reviews', { conversationId: own });
    expect((await boss.post(`/qa/reviews/${body.review.id}/score`, { answers: allPass() })).body).toMatchObject({ error: { code: 'own_review' } });
    expect((await kim.get('/qa/reviews')).status).toBe(403);
    expect((await rev.get('/queue')).status).toBe(403);
    expect((await rev.post('/qa/reviews', { conversationId: 'no-such-chat' })).status).toBe(404);
    // Days that are not on the calendar are refused by field, not rolled over.
    expect((await boss.post('/qa/sample', { day: '2026-02-30' })).body).toMatchObject({ error: { code: 'validation', fields: [{ field: 'day' }] } });
    expect((await rev.get('/qa/report?from=2026-13-01')).status).toBe(400);
    expect((await rev.get('/qa/report?from=2026-03-02&to=2026-03-01')).status).toBe(400);
  });
});

describe('CSV cells', () => {
  it('escapes what a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=x', 'plain', '김=1'].map(safeCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=x", 'plain', '김=1']);
    expect(safeCell(-3)).toBe(-3);
  });
});
