/**
 * Contract of the handoff stores (episodes, surveys, alerts, message flags, figures); every
 * Store implementation runs it. Call runHandoffContract with a factory returning a fresh store.
 */
import type { HandoffEpisode, Survey } from '../../src/core/handoff-port';
import type { Store } from '../../src/core/store-port';

export function runHandoffContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`handoff store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const episode = (conversationId: string, handoffSeq: number, queuedAt = new Date()): HandoffEpisode => ({
      id: `${conversationId}:${handoffSeq}`,
      conversationId,
      handoffSeq,
      residentId: 'r1',
      channel: 'app',
      language: 'vi',
      priority: 'request',
      reason: 'asked',
      queuedAt,
    });

    describe('episodes', () => {
      it('opens once per id, even concurrently, and returns the stored episode', async () => {
        const results = await Promise.all([1, 2, 3].map((i) => store.episodes.open({ ...episode('c1', 1), reason: `r${i}` })));
        expect(new Set(results.map((e) => e.reason)).size).toBe(1);
        expect(await store.episodes.get('c1:1')).toMatchObject({ conversationId: 'c1', handoffSeq: 1, language: 'vi', reason: results[0]!.reason });
        expect(await store.episodes.get('c1:2')).toBeUndefined();
      });

      it('updates, removes undefined fields, lists by conversation and by queue time', async () => {
        const t0 = new Date(Date.now() - 60_000);
        await store.episodes.open(episode('c1', 1, t0));
        await store.episodes.open(episode('c1', 2, new Date(t0.getTime() + 10_000)));
        await store.episodes.open(episode('c2', 1, new Date(t0.getTime() + 20_000)));
        const at = new Date();
        const u = await store.episodes.update('c1:1', { counselorId: 'k1', assignedAt: at, notice: { position: 2, at }, team: 'welfare' });
        expect(u).toMatchObject({ counselorId: 'k1', assignedAt: at, notice: { position: 2, at }, team: 'welfare' });
        expect((await store.episodes.update('c1:1', { team: undefined })).team).toBeUndefined();
        expect((await store.episodes.listByConversation('c1')).map((e) => e.handoffSeq)).toEqual([1, 2]);
        expect((await store.episodes.listQueuedSince(new Date(t0.getTime() + 5_000), 10)).map((e) => e.id)).toEqual(['c1:2', 'c2:1']);
        expect(await store.episodes.listQueuedSince(t0, 1)).toHaveLength(1);
        await expect(store.episodes.update('nope:1', { outcome: 'closed' })).rejects.toMatchObject({ code: 'not_found' });
      });

      it('lets exactly one of concurrent claimers take each acknowledgement, each following the last one', async () => {
        expect(await store.episodes.lastAck('c1:1')).toBeUndefined();
        const t1 = new Date(Date.now() - 60_000);
        const first = await Promise.all([1, 2, 3].map(() => store.episodes.claimAck({ episodeId: 'c1:1', conversationId: 'c1', at: t1 })));
        expect(first.filter(Boolean)).toHaveLength(1);
        expect(await store.episodes.lastAck('c1:1')).toEqual(t1);
        // An instance that read no acknowledgement before the first was claimed loses too.
        expect(await store.episodes.claimAck({ episodeId: 'c1:1', conversationId: 'c1', at: new Date() })).toBe(false);
        const t2 = new Date(t1.getTime() + 30_000);
        const second = await Promise.all([1, 2, 3].map(() => store.episodes.claimAck({ episodeId: 'c1:1', conversationId: 'c1', after: t1, at: t2 })));
        expect(second.filter(Boolean)).toHaveLength(1);
        expect(await store.episodes.lastAck('c1:1')).toEqual(t2);
        // Another episode of the same conversation starts its own chain.
        expect(await store.episodes.claimAck({ episodeId: 'c1:2', conversationId: 'c1', at: t2 })).toBe(true);
        expect(await store.episodes.claimAck({ episodeId: 'c2:1', conversationId: 'c2', at: t2 })).toBe(true);

        await store.episodes.deleteByConversation('c1');
        expect(await store.episodes.lastAck('c1:1')).toBeUndefined();
        expect(await store.episodes.lastAck('c2:1')).toEqual(t2);
        expect(await store.episodes.claimAck({ episodeId: 'c1:1', conversationId: 'c1', at: t1 })).toBe(true);
      });
    });

    describe('surveys', () => {
      const survey = (overrides: Partial<Survey> = {}): Omit<Survey, 'id'> => ({
        kind: 'csat',
        conversationId: 'c1',
        residentId: 'r1',
        channel: 'app',
        externalUserId: 'u1',
        language: 'ko',
        counselorId: 'k1',
        status: 'pending',
        step: 'kindness',
        scores: {},
        sentAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
        ...overrides,
      });

      it('finds the newest pending, unexpired survey of a channel identity', async () => {
        await store.surveys.create(survey({ sentAt: new Date(Date.now() - 2000) }));
        const newer = await store.surveys.create(survey({ sentAt: new Date(Date.now() - 1000) }));
        await store.surveys.create(survey({ externalUserId: 'u2' }));
        await store.surveys.create(survey({ expiresAt: new Date(Date.now() - 1), sentAt: new Date() }));
        expect((await store.surveys.findPending('app', 'u1', new Date()))?.id).toBe(newer.id);
        await store.surveys.update(newer.id, { status: 'complete', completedAt: new Date() });
        expect((await store.surveys.findPending('app', 'u1', new Date()))?.id).not.toBe(newer.id);
        expect(await store.surveys.findPending('kakao', 'u1', new Date())).toBeUndefined();
      });

      it('records answers and lists by send time', async () => {
        const s = await store.surveys.create(survey());
        const u = await store.surveys.update(s.id, { scores: { kindness: 5, professionalism: 4 }, step: 'promptness' });
        expect(u).toMatchObject({ scores: { kindness: 5, professionalism: 4 }, step: 'promptness', status: 'pending' });
        const done = await store.surveys.update(s.id, { scores: { ...u.scores, promptness: 3 }, comment: '친절했어요', status: 'complete', step: undefined });
        expect(done.step).toBeUndefined();
        expect(await store.surveys.get(s.id)).toEqual(done);
        expect((await store.surveys.listSentSince(new Date(Date.now() - 60_000), 10)).map((x) => x.id)).toEqual([s.id]);
        expect(await store.surveys.listSentSince(new Date(Date.now() + 60_000), 10)).toEqual([]);
        await expect(store.surveys.update('missing', { status: 'expired' })).rejects.toMatchObject({ code: 'not_found' });
      });
    });

    describe('alerts', () => {
      it('raises once per key, even concurrently, lists newest first and acknowledges', async () => {
        const base = { kind: 'sla_breach' as const, conversationId: 'c1', message: 'waiting too long' };
        const results = await Promise.all([1, 2, 3].map(() => store.alerts.raise({ ...base, key: 'sla:c1:1', raisedAt: new Date() })));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.alert.id)).size).toBe(1);
        const second = await store.alerts.raise({ ...base, kind: 'crisis', key: 'crisis:c2:1', raisedAt: new Date(Date.now() + 1000), details: { supervisors: ['s1'] } });
        expect((await store.alerts.list({})).map((a) => a.key)).toEqual(['crisis:c2:1', 'sla:c1:1']);
        const acked = await store.alerts.acknowledge(second.alert.id, 's1', new Date());
        expect(acked).toMatchObject({ acknowledgedBy: 's1', details: { supervisors: ['s1'] } });
        expect((await store.alerts.list({ open: true })).map((a) => a.key)).toEqual(['sla:c1:1']);
        expect((await store.alerts.list({ open: false })).map((a) => a.key)).toEqual(['crisis:c2:1']);
        expect(await store.alerts.list({ since: new Date(Date.now() + 500) })).toHaveLength(1);
        expect((await store.alerts.get(second.alert.id))?.acknowledgedBy).toBe('s1');
        await expect(store.alerts.acknowledge('missing', 's1', new Date())).rejects.toMatchObject({ code: 'not_found' });
      });
    });

    describe('message flags', () => {
      it('keeps one flag per message and kind, listed per conversation', async () => {
        await store.messageFlags.flag({ messageId: 'm1', conversationId: 'c1', kind: 'abusive', at: new Date() });
        await store.messageFlags.flag({ messageId: 'm1', conversationId: 'c1', kind: 'abusive', at: new Date() });
        await store.messageFlags.flag({ messageId: 'm2', conversationId: 'c2', kind: 'abusive', at: new Date() });
        expect((await store.messageFlags.listByConversation('c1')).map((f) => f.messageId)).toEqual(['m1']);
      });
    });

    describe('deleting one conversation (privacy, retention)', () => {
      it('removes its episodes, surveys, alerts and flags and nothing of other conversations', async () => {
        await store.episodes.open(episode('c1', 1));
        await store.episodes.open(episode('c2', 1));
        const base = {
          kind: 'csat' as const,
          residentId: 'r1',
          channel: 'app',
          externalUserId: 'u1',
          language: 'ko',
          status: 'pending' as const,
          scores: {},
          sentAt: new Date(),
          expiresAt: new Date(Date.now() + 3_600_000),
        };
        await store.surveys.create({ ...base, conversationId: 'c1', comment: 'private words' });
        await store.surveys.create({ ...base, conversationId: 'c2' });
        await store.alerts.raise({ kind: 'crisis', key: 'crisis:c1:1', conversationId: 'c1', message: 'm', raisedAt: new Date() });
        await store.alerts.raise({ kind: 'crisis', key: 'crisis:c2:1', conversationId: 'c2', message: 'm', raisedAt: new Date() });
        await store.messageFlags.flag({ messageId: 'm1', conversationId: 'c1', kind: 'abusive', at: new Date() });
        expect((await store.surveys.listByConversation('c1')).map((s) => s.comment)).toEqual(['private words']);

        expect(await store.episodes.deleteByConversation('c1')).toBe(1);
        expect(await store.surveys.deleteByConversation('c1')).toBe(1);
        expect(await store.alerts.deleteByConversation('c1')).toBe(1);
        expect(await store.messageFlags.deleteByConversation('c1')).toBe(1);

        expect(await store.episodes.listByConversation('c1')).toEqual([]);
        expect(await store.surveys.listByConversation('c1')).toEqual([]);
        expect(await store.messageFlags.listByConversation('c1')).toEqual([]);
        expect((await store.alerts.list({})).map((a) => a.conversationId)).toEqual(['c2']);
        expect(await store.episodes.listByConversation('c2')).toHaveLength(1);
        expect(await store.surveys.listByConversation('c2')).toHaveLength(1);
        // A deleted alert key can be raised again (e.g. a new episode with the same number).
        expect((await store.alerts.raise({ kind: 'crisis', key: 'crisis:c1:1', conversationId: 'c1', message: 'm', raisedAt: new Date() })).created).toBe(true);
      });
    });

    describe('figures', () => {
      it('adds up concurrent increments per day and key', async () => {
        await Promise.all(Array.from({ length: 6 }, () => store.figures.increment('2025-01-02', 'conversations')));
        await store.figures.increment('2025-01-02', 'channel:app', 2);
        await store.figures.increment('2025-01-03', 'conversations');
        await store.figures.increment('2025-01-05', 'conversations');
        const got = await store.figures.list('2025-01-02', '2025-01-03');
        const sorted = got.map((c) => `${c.day} ${c.key} ${c.count}`).sort();
        expect(sorted).toEqual(['2025-01-02 channel:app 2', '2025-01-02 conversations 6', '2025-01-03 conversations 1']);
      });
    });
  });
}
