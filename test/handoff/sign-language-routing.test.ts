/**
 * Routing of hearing-impaired residents (issue 18): a chat marked hearing-impaired goes to a
 * counselor with the sign_language skill (a team given through the user admin API) over one
 * without it; it waits for a busy signer up to the skill fallback, not for a signer who is not on
 * duty; and past the fallback the resident's language still counts before the sign skill.
 */
import type { Conversation } from '../../src/core/conversation';
import type { ConsoleUser } from '../../src/core/user-port';
import type { Service } from '../../src/main';
import type { QueueEntry } from '../../src/handoff/queue-order';
import { chooseCounselor, SIGN_LANGUAGE_SKILL } from '../../src/handoff/routing-policy';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually } from '../console/console-client';

const now = new Date('2026-03-04T03:00:00Z');

function user(id: string, languages: string[], teams: string[] = [], extra: Partial<ConsoleUser> = {}): ConsoleUser {
  return { id, login: id, passwordHash: 'x', role: 'counselor', displayName: id, languages, teams, presence: 'available', presenceAt: now, failedLogins: 0, createdAt: now, updatedAt: now, ...extra };
}

function entry(language: string, hearingImpaired: boolean, waitedMs: number): QueueEntry {
  const queuedAt = new Date(now.getTime() - waitedMs);
  const conversation: Conversation = { id: 'c', residentId: 'r', channel: 'app', externalUserId: 'c', language, state: 'queued', priority: 'request', handoffSeq: 1, slots: {}, misses: 0, queuedAt, createdAt: queuedAt, updatedAt: queuedAt, ...(hearingImpaired && { hearingImpaired }) };
  return { conversation, episode: { id: 'c:1', conversationId: 'c', handoffSeq: 1, residentId: 'r', channel: 'app', language, priority: 'request', reason: 'request', queuedAt } };
}

describe('routing policy for hearing-impaired residents', () => {
  const plain = user('plain', ['ko', 'en']);
  const signer = user('signer', ['ko'], [SIGN_LANGUAGE_SKILL]);
  const pick = (e: QueueEntry, counselors: ConsoleUser[], loads: Record<string, number>, onDuty: ConsoleUser[] = counselors) =>
    chooseCounselor({ entry: e, counselors, loads: new Map(Object.entries(loads)), capOf: () => 2, now, skillFallbackMs: 120_000, onDuty })?.id;

  it('gives a hearing-impaired chat to the signer even when busier, and other chats to the least loaded', () => {
    expect(pick(entry('ko', true, 0), [plain, signer], { signer: 1 })).toBe('signer');
    expect(pick(entry('ko', false, 0), [plain, signer], { signer: 1 })).toBe('plain');
  });

  it('waits for a signer on duty at their cap until the skill fallback, then takes anyone', () => {
    // The signer is on duty but full: not offered, and the plain counselor not yet either.
    expect(pick(entry('ko', true, 60_000), [plain, signer], { signer: 2 })).toBeUndefined();
    expect(pick(entry('ko', true, 120_000), [plain, signer], { signer: 2 })).toBe('plain');
  });

  it('does not wait for a signer who is not on duty', () => {
    expect(pick(entry('ko', true, 0), [plain], {}, [plain])).toBe('plain');
  });

  it('does not wait for a signer who does not read the resident’s language, and keeps the language past the fallback', () => {
    const koOnly = user('ko-only', ['ko']);
    // A deaf resident writing English: the Korean-only signer is no reason to wait.
    expect(pick(entry('en', true, 0), [plain, signer, koOnly], { plain: 1 })).toBe('plain');
    const enSigner = user('en-signer', ['en'], [SIGN_LANGUAGE_SKILL]);
    // An English-reading signer on duty but full: past the fallback the English reader wins over a lighter Korean-only one.
    expect(pick(entry('en', true, 120_000), [plain, enSigner, koOnly], { plain: 1, 'en-signer': 2 })).toBe('plain');
  });
});

describe('automatic routing of a deaf resident through the app API', () => {
  const ADMIN = { login: 'admin', password: 'admin-password-1' };
  let service: Service;

  beforeAll(async () => {
    service = await startService({
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      HANDOFF_TICK_MS: '100',
      ROUTING: 'auto',
      SKILL_FALLBACK_SECONDS: '600',
      // Every shift covers the whole day, so the outcome does not depend on the time of the run.
      SHIFT_HOURS: 'day=00-24,night=00-24,graveyard=00-24',
    });
  });
  afterAll(async () => {
    await service.close();
  });

  const assigneeOf = async (id: string) => (await service.store.conversations.get(id))?.assigneeId;

  it('gives the chat to the counselor with the sign_language skill over a less busy one without it', async () => {
    const staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko'] },
      { login: 'park', role: 'counselor', languages: ['ko'] },
    ]);
    const id = async (login: string) => (await staff[login]!.get<{ user: { id: string } }>('/session')).body.user.id;
    const [kim, park] = [await id('kim'), await id('park')];
    // The skill is given through the user admin API, like a team.
    const granted = await staff.admin!.request<{ user: { teams: string[] } }>('PATCH', `/users/${park}`, { teams: [SIGN_LANGUAGE_SKILL] });
    expect(granted.status).toBe(200);
    expect(granted.body.user.teams).toEqual([SIGN_LANGUAGE_SKILL]);

    // park takes an ordinary chat first, so kim is the less busy one when the deaf resident comes.
    await staff.park!.post('/presence', { status: 'available' });
    const first = new AppClient(service.url);
    await first.start({ deviceId: 'first', locale: 'ko-KR' });
    await first.say('상담사 연결해 주세요');
    await eventually(async () => (await assigneeOf(first.conversationId)) === park, 10_000, 'first chat to park');
    await staff.kim!.post('/presence', { status: 'available' });

    const deaf = new AppClient(service.url);
    await deaf.start({ deviceId: 'deaf', locale: 'ko-KR' });
    await deaf.say('청각장애인인데 수어로 상담받을 수 있나요?');
    const offer = await deaf.nextReply();
    const button = offer.quickReplies?.find((q) => q.payload === 'intent:counselor_request');
    expect(button?.label).toBe('상담사와 글로 상담하기');
    expect((await service.store.conversations.get(deaf.conversationId))?.hearingImpaired).toBe(true);
    await deaf.say(button!.label, { payload: button!.payload });
    await eventually(async () => (await assigneeOf(deaf.conversationId)) === park, 10_000, 'deaf resident to park');
    expect(await service.store.conversations.get(deaf.conversationId)).toMatchObject({ priority: 'request', hearingImpaired: true });

    // The next ordinary resident goes to the less busy counselor.
    const next = new AppClient(service.url);
    await next.start({ deviceId: 'next', locale: 'ko-KR' });
    await next.say('상담원 연결 부탁드려요');
    await eventually(async () => (await assigneeOf(next.conversationId)) === kim, 10_000, 'ordinary chat to kim');
  });
});
