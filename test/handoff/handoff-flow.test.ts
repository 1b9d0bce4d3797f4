/**
 * The handoff through the console API with a resident on the app API: queue notices, accept,
 * replies, the bot staying silent, "we never hang up first", the survey after close and its
 * figures, internal notes, hand-back, transfer, abuse masking and the helpful one-tap.
 */
import type { Service } from '../../src/main';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually, type ConsoleClient, type QueueItem } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

/** Collects everything the resident receives, so tests can wait for a particular message. */
class Inbox {
  readonly messages: AppMessage[] = [];
  constructor(readonly app: AppClient) {}

  async waitFor(match: (m: AppMessage) => boolean, what: string, timeoutMs = 10_000): Promise<AppMessage> {
    return eventually(async () => {
      const found = this.messages.find(match);
      if (found) return found;
      this.messages.push(...(await this.app.poll(1)));
      return this.messages.find(match);
    }, timeoutMs, what);
  }

  authors(): string[] {
    return this.messages.map((m) => m.author);
  }
}

async function escalated(service: Service, locale = 'ko-KR', text = '상담사 연결해 주세요'): Promise<Inbox> {
  const app = new AppClient(service.url);
  await app.start({ deviceId: 'd', locale });
  const inbox = new Inbox(app);
  await app.say(text);
  await eventually(async () => (await service.store.conversations.get(app.conversationId))?.state === 'queued', 10_000, 'queued');
  return inbox;
}

/** Waits until the bot turn of an inbound message has finished. */
async function handled(service: Service, messageId: string) {
  await eventually(async () => Boolean((await service.store.messages.get(messageId))?.handledAt), 10_000, 'turn handled');
}

describe('counselor handoff through the console API', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  let kim: ConsoleClient;
  let lee: ConsoleClient;
  let boss: ConsoleClient;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', QUEUE_NOTICE_SECONDS: '0', HANDOFF_TICK_MS: '200' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'], teams: ['welfare'] },
      { login: 'lee', role: 'counselor', languages: ['ko'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
    ]);
    ({ kim, lee, boss } = staff as Record<'kim' | 'lee' | 'boss', ConsoleClient>);
  });
  afterAll(async () => {
    await service.close();
  });

  it('queues, accepts, relays replies both ways, keeps the bot silent, never hangs up first, and surveys after close', async () => {
    const inbox = await escalated(service);
    const id = inbox.app.conversationId;
    const position = await inbox.waitFor((m) => m.author === 'system' && /대기 순서는 \d+번째/.test(m.text ?? ''), 'position notice');
    expect(position.text).toMatch(/예상 대기 시간은 약 \d+분/);

    const queue = await kim.get<{ items: QueueItem[] }>('/queue');
    const item = queue.body.items.find((i) => i.conversationId === id)!;
    expect(item).toMatchObject({ priority: 'request', language: 'ko', channel: 'app', position: expect.any(Number), waitingSince: expect.any(String) });

    expect((await kim.post(`/conversations/${id}/accept`)).status).toBe(200);
    await inbox.waitFor((m) => m.author === 'system' && /kim 상담사가 연결되었습니다/.test(m.text ?? ''), 'joined notice');

    const reply = await kim.post(`/conversations/${id}/messages`, { text: '안녕하세요, 상담사 김입니다. 무엇을 도와드릴까요?' });
    expect(reply.status).toBe(200);
    await inbox.waitFor((m) => m.author === 'counselor' && m.text === '안녕하세요, 상담사 김입니다. 무엇을 도와드릴까요?', 'counselor reply');

    // The bot would answer this; while a counselor owns the chat it must not.
    const asked = await inbox.app.say('음식물 쓰레기는 언제 버려요?');
    await handled(service, asked.messageId);
    const after = (await service.store.messages.listByConversation(id)).filter((m) => m.seq > 0);
    const askedSeq = after.find((m) => m.id === asked.messageId)!.seq;
    expect(after.filter((m) => m.seq > askedSeq && m.author === 'bot')).toEqual([]);

    // The counselor sees the question; closing now would hang up on the resident.
    const view = await kim.get<{ messages: { text?: string; author: string }[]; residentWaiting: boolean; conversation: { language: string } }>(`/conversations/${id}`);
    expect(view.body.residentWaiting).toBe(true);
    expect(view.body.messages.map((m) => m.text)).toContain('음식물 쓰레기는 언제 버려요?');
    expect(view.body.messages.some((m) => m.author === 'bot')).toBe(true);
    const refused = await kim.post(`/conversations/${id}/close`, { resolution: 'answered' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'resident_waiting', message: expect.stringMatching(/먼저 끊지 않습니다/) } } });
    expect((await service.store.conversations.get(id))?.state).toBe('assigned');

    // Internal notes stay internal.
    expect((await kim.post(`/conversations/${id}/notes`, { text: '배출 요일 안내 필요' })).status).toBe(200);
    await kim.post(`/conversations/${id}/messages`, { text: '수원시는 매일 저녁 8시 이후 배출하시면 됩니다.' });
    await inbox.waitFor((m) => m.text === '수원시는 매일 저녁 8시 이후 배출하시면 됩니다.', 'answer');
    expect(inbox.messages.map((m) => m.text)).not.toContain('배출 요일 안내 필요');

    const closed = await kim.post(`/conversations/${id}/close`, { resolution: 'answered' });
    expect(closed.status).toBe(200);
    expect(await service.store.conversations.get(id)).toMatchObject({ state: 'closed', closedAt: expect.anything() });

    // The survey, in the app's format: buttons 1–5 per dimension, then an optional comment.
    const kindness = await inbox.waitFor((m) => Boolean(m.quickReplies?.some((q) => /:kindness:5$/.test(q.payload))), 'kindness question');
    expect(kindness.quickReplies!.map((q) => q.label)).toEqual(['1', '2', '3', '4', '5']);
    const five = kindness.quickReplies!.find((q) => q.payload.endsWith(':5'))!;
    await inbox.app.say(five.label, { payload: five.payload });
    const professionalism = await inbox.waitFor((m) => Boolean(m.quickReplies?.some((q) => q.payload.includes(':professionalism:'))), 'professionalism question');
    expect(professionalism.text).toMatch(/전문적/);
    await inbox.app.say('4'); // typed instead of tapped
    const promptness = await inbox.waitFor((m) => Boolean(m.quickReplies?.some((q) => q.payload.includes(':promptness:'))), 'promptness question');
    const p5 = promptness.quickReplies!.find((q) => q.payload.endsWith(':5'))!;
    await inbox.app.say(p5.label, { payload: p5.payload });
    await inbox.waitFor((m) => Boolean(m.quickReplies?.some((q) => q.payload.endsWith(':comment:skip'))), 'comment prompt');
    await inbox.app.say('친절하게 알려주셔서 감사합니다');
    await inbox.waitFor((m) => /소중한 의견 감사합니다/.test(m.text ?? ''), 'thanks');

    const dashboard = await boss.get<{
      csat: { responses: number; averages: Record<string, number>; recent: { comment?: string; scores: Record<string, number> }[] };
      wait: { count: number; avgMs: number; p90Ms: number };
      handle: { count: number };
      resolutions: { code: string; count: number }[];
    }>('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.csat.recent[0]).toMatchObject({ scores: { kindness: 5, professionalism: 4, promptness: 5 }, comment: '친절하게 알려주셔서 감사합니다' });
    expect(dashboard.body.wait.count).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.handle.count).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.resolutions).toContainEqual({ code: 'answered', count: 1 });

    const csv = await boss.get<string>('/dashboard.csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('csat,avg_kindness,');

    // The survey answers did not leave an open conversation behind.
    expect(await service.store.conversations.findOpen('app', (await service.store.conversations.get(id))!.externalUserId)).toBeUndefined();
  });

  it('hands a chat back to the bot, which answers again', async () => {
    const inbox = await escalated(service);
    const id = inbox.app.conversationId;
    await lee.post(`/conversations/${id}/accept`);
    expect((await lee.post(`/conversations/${id}/handback`)).status).toBe(200);
    await inbox.waitFor((m) => m.author === 'system' && /챗봇 다정이가 다시/.test(m.text ?? ''), 'back to bot');
    await inbox.app.say('안녕하세요');
    await inbox.waitFor((m) => m.author === 'bot' && /다정/.test(m.text ?? ''), 'bot greeting');
    const transitions = (await service.store.audit.list({ subject: id })).map((e) => e.action);
    expect(transitions).toEqual(expect.arrayContaining(['conversation.escalate', 'handoff.assign', 'handoff.handback']));
  });

  it('transfers to a team with a note; only that team may take it', async () => {
    const inbox = await escalated(service);
    const id = inbox.app.conversationId;
    await lee.post(`/conversations/${id}/accept`);
    const moved = await lee.post(`/conversations/${id}/transfer`, { team: 'welfare', note: '기초연금 문의' });
    expect(moved.status).toBe(200);
    const queue = await kim.get<{ items: (QueueItem & { team?: string; matchesMySkills: boolean })[] }>('/queue');
    expect(queue.body.items.find((i) => i.conversationId === id)).toMatchObject({ team: 'welfare', matchesMySkills: true });
    const leeQueue = await lee.get<{ items: (QueueItem & { matchesMySkills: boolean })[] }>('/queue');
    expect(leeQueue.body.items.find((i) => i.conversationId === id)).toMatchObject({ matchesMySkills: false });
    expect((await kim.post(`/conversations/${id}/accept`)).status).toBe(200);
    const view = await kim.get<{ messages: { text?: string; internal: boolean }[] }>(`/conversations/${id}`);
    expect(view.body.messages.find((m) => m.internal && m.text?.includes('기초연금 문의'))).toBeDefined();
    await inbox.waitFor((m) => /더 잘 도와드릴 수 있는 상담사/.test(m.text ?? ''), 'transfer notice');
    expect(inbox.messages.some((m) => m.text?.includes('기초연금 문의'))).toBe(false);
    await kim.post(`/conversations/${id}/close`, { resolution: 'referred', confirm: true });
  });

  it('masks abusive messages until revealed, sends the warning template and escalates with evidence', async () => {
    const inbox = await escalated(service);
    const id = inbox.app.conversationId;
    await kim.post(`/conversations/${id}/accept`);
    const abuse = await inbox.app.say('이 개새끼야 빨리 해');
    await handled(service, abuse.messageId);
    const view = await kim.get<{ messages: { id: string; text?: string; masked: boolean }[] }>(`/conversations/${id}`);
    const masked = view.body.messages.find((m) => m.id === abuse.messageId)!;
    expect(masked).toMatchObject({ masked: true });
    expect(masked.text).toBeUndefined();
    expect(JSON.stringify(view.body)).not.toContain('개새끼');

    const revealed = await kim.post<{ message: { text: string } }>(`/conversations/${id}/messages/${abuse.messageId}/reveal`);
    expect(revealed.body.message.text).toBe('이 개새끼야 빨리 해');
    const warned = await kim.post(`/conversations/${id}/warn`);
    expect(warned.status).toBe(200);
    await inbox.waitFor((m) => m.author === 'counselor' && /욕설이나 모욕적인 표현/.test(m.text ?? ''), 'warning');

    const reported = await kim.post<{ alertId: string }>(`/conversations/${id}/report-abuse`, { note: '반복 욕설' });
    expect(reported.status).toBe(200);
    const alerts = await boss.get<{ items: { id: string; kind: string; details: { evidence: { text: string }[] } }[] }>('/alerts');
    const alert = alerts.body.items.find((a) => a.id === reported.body.alertId)!;
    expect(alert).toMatchObject({ kind: 'abuse' });
    expect(alert.details.evidence.map((e) => e.text)).toEqual(['이 개새끼야 빨리 해']);
    const audit = (await service.store.audit.list({ subject: id })).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['abuse.reveal', 'abuse.warn', 'alert.abuse']));
    // The evidence is kept: the stored message is untouched.
    expect((await service.store.messages.get(abuse.messageId))?.content.text).toBe('이 개새끼야 빨리 해');
    await kim.post(`/conversations/${id}/close`, { resolution: 'abusive', confirm: true });
  });

  it('asks "did this help?" when the bot solved a question alone, and counts the answer', async () => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'h', locale: 'ko-KR' });
    const inbox = new Inbox(app);
    await app.say('음식물 쓰레기 언제 버려요?');
    await inbox.waitFor((m) => m.author === 'bot', 'answer');
    await app.say('감사합니다');
    const ask = await inbox.waitFor((m) => Boolean(m.quickReplies?.some((q) => q.payload.endsWith(':helpful:yes'))), 'did this help');
    expect(ask.text).toMatch(/도움이 되었나요/);
    const yes = ask.quickReplies!.find((q) => q.payload.endsWith(':helpful:yes'))!;
    await app.say(yes.label, { payload: yes.payload });
    await inbox.waitFor((m) => /알려 주셔서 감사합니다/.test(m.text ?? ''), 'thanks');
    const dashboard = await boss.get<{ csat: { helpful: { yes: number } }; containment: { conversations: number; escalated: number; rate: number } }>('/dashboard');
    expect(dashboard.body.csat.helpful.yes).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.containment.conversations).toBeGreaterThan(dashboard.body.containment.escalated);
    expect(dashboard.body.containment.rate).toBeGreaterThan(0);
  });
});
