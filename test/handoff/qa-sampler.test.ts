/**
 * The daily QA sample over a store: the share per counselor (at least one), every low-CSAT,
 * crisis or abusive chat of the day, only chats closed that day, once per day across instances,
 * and a stale run resumed with the same choice.
 */
import type { HandoffEpisode } from '../../src/core/handoff-port';
import { QaSampler } from '../../src/handoff/qa-sampler';
import { koreaDayStart } from '../../src/handoff/shift-schedule';
import { MemoryStore } from '../../src/store/memory-store';
import { silentLogger } from '../support/service';

const DAY = '2026-11-20';
const start = koreaDayStart(DAY);
const at = (hours: number) => new Date(start.getTime() + hours * 3600_000);

async function closed(store: MemoryStore, id: string, counselorId: string, endHour: number, extra: Partial<HandoffEpisode> = {}) {
  await store.episodes.open({
    id: `${id}:1`,
    conversationId: id,
    handoffSeq: 1,
    residentId: `r-${id}`,
    channel: 'app',
    language: 'ko',
    priority: 'request',
    reason: 'counselor_request',
    queuedAt: at(endHour - 1),
    counselorId,
    assignedAt: at(endHour - 0.5),
    endedAt: at(endHour),
    outcome: 'closed',
    resolution: 'answered',
    ...extra,
  });
}

async function setUp() {
  const store = new MemoryStore();
  const kim = await store.users.create({ login: 'kim', passwordHash: 'x', role: 'counselor', displayName: 'kim', languages: ['ko'], teams: ['welfare'] });
  const lee = await store.users.create({ login: 'lee', passwordHash: 'x', role: 'counselor', displayName: 'lee', languages: ['ko'], teams: [] });
  // kim: ten chats that day; lee: one.
  for (let i = 0; i < 10; i++) await closed(store, `k${i}`, kim.id, 9 + i);
  await closed(store, 'l0', lee.id, 10);
  // Outside the day: closed the day before and the day after.
  await closed(store, 'before', kim.id, -2);
  await closed(store, 'after', kim.id, 26);
  // Flags: a low CSAT answer, a crisis chat, an abusive close.
  await store.surveys.create({ kind: 'csat', conversationId: 'k7', residentId: 'r-k7', channel: 'app', externalUserId: 'u', language: 'ko', counselorId: kim.id, status: 'complete', scores: { kindness: 5, professionalism: 2, promptness: 4 }, sentAt: at(17), expiresAt: at(40) });
  await store.surveys.create({ kind: 'csat', conversationId: 'k8', residentId: 'r-k8', channel: 'app', externalUserId: 'u', language: 'ko', counselorId: kim.id, status: 'complete', scores: { kindness: 4, professionalism: 4, promptness: 3 }, sentAt: at(18), expiresAt: at(40) });
  await closed(store, 'crisis', lee.id, 12, { priority: 'crisis' });
  await closed(store, 'rude', lee.id, 13, { resolution: 'abusive' });
  return { store, kim, lee };
}

const sampler = (store: MemoryStore, rate = 0.2) => new QaSampler({ store, logger: silentLogger(), rate, lowCsat: 2 });

describe('the daily QA sample', () => {
  it('queues a share of each counselor’s chats and every flagged chat of the day, once', async () => {
    const { store, kim, lee } = await setUp();
    const [first, second] = await Promise.all([sampler(store).sampleDay(DAY, 'a', at(30)), sampler(store).sampleDay(DAY, 'b', at(30))]);
    expect([first.ran, second.ran].sort()).toEqual([false, true]);
    const reviews = await store.qaReviews.list({ limit: 100 });
    const byId = new Map(reviews.map((r) => [r.conversationId, r]));
    expect(byId.get('k7')?.reasons).toContain('low_csat');
    expect(byId.get('k8')?.reasons ?? []).not.toContain('low_csat');
    expect(byId.get('crisis')?.reasons).toContain('crisis');
    expect(byId.get('rude')?.reasons).toContain('abuse');
    expect(byId.has('before') || byId.has('after')).toBe(false);
    // 20 % of kim's ten chats is two; lee had three chats: round(0.6) = 1.
    expect(reviews.filter((r) => r.counselorId === kim.id && r.reasons.includes('sample'))).toHaveLength(2);
    expect(reviews.filter((r) => r.counselorId === lee.id && r.reasons.includes('sample'))).toHaveLength(1);
    expect(byId.get('k7')).toMatchObject({ day: DAY, teams: ['welfare'], status: 'pending', handoffSeq: 1 });
    expect(await store.qaReviews.getClaim(`qa-sample:${DAY}`)).toMatchObject({ completedAt: expect.any(Date) });
  });

  it('queues at least one chat per counselor, and none at rate 0 beyond the flagged ones', async () => {
    const { store, lee } = await setUp();
    await sampler(store, 0.01).sampleDay(DAY, 'a', at(30));
    expect((await store.qaReviews.list({ counselorId: lee.id, limit: 100 })).filter((r) => r.reasons.includes('sample'))).toHaveLength(1);
    const off = await setUp();
    await sampler(off.store, 0).sampleDay(DAY, 'a', at(30));
    expect((await off.store.qaReviews.list({ limit: 100 })).map((r) => r.conversationId).sort()).toEqual(['crisis', 'k7', 'rude']);
  });

  it('resumes a run that never finished with the same choice, and only once', async () => {
    const { store } = await setUp();
    const done = await setUp();
    // The same seed on a finished run shows what the stalled run would have chosen.
    await done.store.qaReviews.claim({ key: `qa-sample:${DAY}`, by: 'x', at: at(30), data: { seed: 'fixed' } });
    await store.qaReviews.claim({ key: `qa-sample:${DAY}`, by: 'crashed', at: at(30), data: { seed: 'fixed' } });
    // Not stale yet: nobody takes over.
    expect((await sampler(store).sampleDay(DAY, 'a', at(30.1))).ran).toBe(false);
    const resumed = await sampler(store).sampleDay(DAY, 'a', at(31));
    expect(resumed.ran).toBe(true);
    expect((await sampler(store).sampleDay(DAY, 'b', at(32))).ran).toBe(false);
    // The reference: the same seed through a takeover in the other store.
    await sampler(done.store).sampleDay(DAY, 'a', at(31));
    const ids = async (s: MemoryStore) => (await s.qaReviews.list({ limit: 100 })).map((r) => r.conversationId).sort();
    expect(await ids(store)).toEqual(await ids(done.store));
    expect((await ids(store)).filter((id) => id.startsWith('k')).length).toBeGreaterThanOrEqual(2);
  });
});
