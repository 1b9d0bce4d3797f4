import type { Conversation } from '../../src/core/conversation';
import type { Store } from '../../src/core/store-port';
import { MemoryStore } from '../../src/store/memory-store';
import { RETENTION_ACTION, RETENTION_ACTOR, RetentionSweeper } from '../../src/store/retention-sweeper';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');

/** A conversation with two messages and one outbox entry, closed `closedDaysAgo` days before NOW (or open). */
async function seed(store: Store, user: string, closedDaysAgo?: number) {
  const resident = await store.residents.findOrCreateByIdentity({
    channel: 'telegram',
    externalUserId: user,
  });
  const c = await store.conversations.create({
    residentId: resident.id,
    channel: 'telegram',
    externalUserId: user,
    language: 'ko',
    state: 'bot',
    priority: 'normal',
  });
  const base = {
    conversationId: c.id,
    residentId: resident.id,
    channel: 'telegram',
    content: { text: 'hi' },
  };
  await store.messages.append({ ...base, direction: 'inbound', author: 'resident' });
  const { message } = await store.messages.append({ ...base, direction: 'outbound', author: 'bot' });
  await store.outbox.enqueue({
    messageId: message.id,
    conversationId: c.id,
    channel: 'telegram',
    externalUserId: user,
  });
  if (closedDaysAgo !== undefined) {
    await store.conversations.update(c.id, {
      state: 'closed',
      closedAt: new Date(NOW.getTime() - closedDaysAgo * DAY),
    });
  }
  return c;
}

describe('RetentionSweeper', () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore();
  });

  it('deletes expired closed conversations with their messages and outbox, and audits the sweep', async () => {
    const old = await seed(store, 'old', 400);
    const recent = await seed(store, 'recent', 10);
    const open = await seed(store, 'open');
    const sweeper = new RetentionSweeper({ store, retentionMs: 365 * DAY, now: () => NOW });

    const result = await sweeper.sweepOnce();

    expect(result).toEqual({
      cutoff: new Date(NOW.getTime() - 365 * DAY),
      conversations: 1,
      messages: 2,
      outbox: 1,
      tickets: 0,
      // The messages' platform ids are remembered 30 days beyond the cutoff (replays are not stored again).
      deliveryKeys: 0,
    });
    expect(await store.conversations.get(old.id)).toBeUndefined();
    expect(await store.messages.listByConversation(old.id)).toEqual([]);
    expect((await store.outbox.listByStatus('pending', 100)).map((e) => e.conversationId).sort()).toEqual(
      [recent.id, open.id].sort(),
    );
    for (const kept of [recent, open]) {
      expect(await store.conversations.get(kept.id)).toBeDefined();
      expect(await store.messages.listByConversation(kept.id)).toHaveLength(2);
    }
    const audit = await store.audit.list({ actor: RETENTION_ACTOR });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: RETENTION_ACTION,
      details: { conversations: 1, messages: 2, outbox: 1, cutoff: result.cutoff.toISOString() },
    });
  });

  it('deletes finished tickets older than the retention period with the conversations, keeping open ones', async () => {
    const base = { category: 'road_damage_report', residentId: 'r1', conversationId: 'c1', channel: 'app', externalUserId: 'u1', language: 'ko', description: '도로 파손', photos: [] };
    const longAgo = new Date(NOW.getTime() - 400 * DAY);
    const done = await store.tickets.create({ ...base, reference: 'GG-20240101-0001', createdAt: longAgo });
    await store.tickets.addEvent(done.id, { at: longAgo, status: 'resolved', actor: 'staff' });
    const open = await store.tickets.create({ ...base, reference: 'GG-20240101-0002', createdAt: longAgo });
    const sweeper = new RetentionSweeper({ store, retentionMs: 365 * DAY, now: () => NOW });

    expect((await sweeper.sweepOnce()).tickets).toBe(1);
    expect(await store.tickets.get(done.id)).toBeUndefined();
    expect(await store.tickets.get(open.id)).toBeDefined();
    const [audit] = await store.audit.list({ actor: RETENTION_ACTOR });
    expect(audit?.details).toMatchObject({ tickets: 1 });
  });

  it('deletes console sign-in attempts older than their window on every sweep, even when conversations are kept forever', async () => {
    await store.loginAttempts.add({ login: 'kim', address: '10.0.0.1', at: new Date(NOW.getTime() - 2 * DAY) });
    await store.loginAttempts.add({ login: 'kim', address: '10.0.0.1', at: new Date(NOW.getTime() - 3_600_000) });
    const sweeper = new RetentionSweeper({ store, retentionMs: 0, loginAttemptMaxAgeMs: DAY, now: () => NOW });
    expect(sweeper.enabled).toBe(true);
    expect((await sweeper.sweepOnce()).loginAttempts).toBe(1);
    expect(await store.loginAttempts.list({ login: 'kim', since: new Date(0), until: NOW, limit: 10 })).toHaveLength(1);
  });

  it('ends idle app sessions: deletes bot-only conversations and residents left with nothing, closes handed-off ones, keeps chats with a counselor', async () => {
    const longAgo = new Date(NOW.getTime() - 40 * DAY);
    const session = async (name: string, state: Conversation['state'], handoffSeq: number, lastSeenAt = longAgo) => {
      const resident = await store.residents.findOrCreateByIdentity({ channel: 'webchat', externalUserId: name });
      const c = await store.conversations.create({ residentId: resident.id, channel: 'webchat', externalUserId: name, language: 'ko', state, priority: 'normal', handoffSeq });
      await store.messages.append({ conversationId: c.id, residentId: resident.id, channel: 'webchat', direction: 'inbound', author: 'resident', content: { text: '안녕하세요' } });
      await store.appSessions.create({ tokenHash: `${name}-token`, residentId: resident.id, conversationId: c.id, deviceId: 'd', createdAt: longAgo, lastSeenAt });
      return { resident, c };
    };
    const botOnly = await session('bot-only', 'bot', 0);
    const handedOff = await session('handed-off', 'bot', 1);
    const withCounselor = await session('with-counselor', 'assigned', 1);
    const active = await session('active', 'bot', 0, new Date(NOW.getTime() - DAY));
    const sweeper = new RetentionSweeper({ store, retentionMs: 365 * DAY, appSessionIdleMs: 30 * DAY, now: () => NOW });

    expect((await sweeper.sweepOnce()).idle).toEqual({ sessions: 2, conversations: 1, residents: 1 });
    expect(await store.conversations.get(botOnly.c.id)).toBeUndefined();
    expect(await store.messages.listByConversation(botOnly.c.id)).toEqual([]);
    expect(await store.residents.get(botOnly.resident.id)).toBeUndefined();
    expect(await store.conversations.get(handedOff.c.id)).toMatchObject({ state: 'closed', closedAt: NOW });
    expect(await store.residents.get(handedOff.resident.id)).toBeDefined();
    for (const name of ['bot-only', 'handed-off']) expect(await store.appSessions.findByTokenHash(`${name}-token`)).toBeUndefined();
    for (const name of ['with-counselor', 'active']) expect(await store.appSessions.findByTokenHash(`${name}-token`)).toBeDefined();
    expect(await store.conversations.get(withCounselor.c.id)).toMatchObject({ state: 'assigned' });
    expect(await store.conversations.get(active.c.id)).toMatchObject({ state: 'bot' });
  });

  it('works through more expired conversations than one batch holds', async () => {
    for (let i = 0; i < 7; i++) await seed(store, `u${i}`, 500);
    const sweeper = new RetentionSweeper({ store, retentionMs: 30 * DAY, batchSize: 3, now: () => NOW });
    expect((await sweeper.sweepOnce()).conversations).toBe(7);
    expect(await store.conversations.listClosedBefore(NOW, 100)).toEqual([]);
  });

  it('stops after maxBatches and leaves the rest for the next sweep', async () => {
    for (let i = 0; i < 5; i++) await seed(store, `u${i}`, 500);
    const sweeper = new RetentionSweeper({
      store,
      retentionMs: DAY,
      batchSize: 2,
      maxBatches: 1,
      now: () => NOW,
    });
    expect((await sweeper.sweepOnce()).conversations).toBe(2);
    expect((await sweeper.sweepOnce()).conversations).toBe(2);
    expect((await sweeper.sweepOnce()).conversations).toBe(1);
  });

  it('joins a sweep in progress instead of running two at once', async () => {
    await seed(store, 'old', 400);
    const sweeper = new RetentionSweeper({ store, retentionMs: DAY, now: () => NOW });
    const [a, b] = await Promise.all([sweeper.sweepOnce(), sweeper.sweepOnce()]);
    expect(a).toBe(b);
    expect(await store.audit.list({ actor: RETENTION_ACTOR })).toHaveLength(1);
  });

  it('does nothing when retention is 0 (keep forever)', async () => {
    const old = await seed(store, 'old', 4000);
    const sweeper = new RetentionSweeper({ store, retentionMs: 0, intervalMs: 5, now: () => NOW });
    expect(sweeper.enabled).toBe(false);
    sweeper.start();
    await new Promise((r) => setTimeout(r, 30));
    await sweeper.stop();
    expect((await sweeper.sweepOnce()).conversations).toBe(0);
    expect(await store.conversations.get(old.id)).toBeDefined();
    expect(await store.audit.list({})).toEqual([]);
  });

  it('sweeps on start and on every interval until stopped, logging failures without throwing', async () => {
    await seed(store, 'old', 400);
    const errors: unknown[] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (obj: unknown) => void errors.push(obj),
      child: () => logger,
    };
    const sweeper = new RetentionSweeper({ store, retentionMs: DAY, intervalMs: 10, now: () => NOW, logger });
    const sweeps = async () => (await store.audit.list({ actor: RETENTION_ACTOR })).length;
    sweeper.start();
    await waitFor(async () => (await sweeps()) >= 2);
    expect(await store.conversations.listClosedBefore(NOW, 10)).toEqual([]);

    jest
      .spyOn(store.conversations, 'listClosedBefore')
      .mockRejectedValueOnce(Object.assign(new Error('db down'), { code: 'unavailable' }));
    await waitFor(async () => errors.length === 1);
    const afterFailure = await sweeps();
    await waitFor(async () => (await sweeps()) > afterFailure); // the next interval still runs
    await sweeper.stop();

    const failed = (await store.audit.list({ actor: RETENTION_ACTOR })).filter((e) => e.details?.['failed']);
    expect(failed).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ error: 'unavailable' }) }),
    ]);
    const stoppedAt = await sweeps();
    await new Promise((r) => setTimeout(r, 40));
    expect(await sweeps()).toBe(stoppedAt);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
