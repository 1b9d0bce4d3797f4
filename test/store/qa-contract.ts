/** Contract of the quality-monitoring store (reviews and claims), run on every implementation. */
import type { NewQaReview, QaScoring } from '../../src/core/qa-port';
import type { Store } from '../../src/core/store-port';

export function runQaContract(name: string, makeStore: () => Promise<Store>) {
  describe(`QA store: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const now = new Date('2026-03-03T01:00:00Z');
    const review = (conversationId: string, extra: Partial<NewQaReview> = {}): NewQaReview => ({
      conversationId,
      handoffSeq: 1,
      counselorId: 'u-kim',
      teams: ['welfare'],
      channel: 'app',
      language: 'ko',
      closedAt: new Date('2026-03-02T03:00:00Z'),
      day: '2026-03-02',
      reasons: ['sample'],
      ...extra,
    });
    const scoring: QaScoring = {
      round: 1,
      reviewerId: 'u-qa',
      checklistVersion: 'v1',
      answers: [
        { itemId: 'greeting', result: 'pass', weight: 5, critical: false },
        { itemId: 'accuracy', result: 'fail', comment: '=잘못된 안내', weight: 20, critical: true },
        { itemId: 'identity', result: 'na', weight: 10, critical: true },
      ],
      score: 0,
      rawScore: 20,
      criticalFailed: true,
      comment: '정확성 보완 필요',
      scoredAt: now,
    };

    it('queues a chat for review once, also when two instances insert it at the same moment', async () => {
      const [a, b] = await Promise.all([store.qaReviews.create(review('c-1'), now), store.qaReviews.create(review('c-1', { reasons: ['crisis'] }), now)]);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
      expect(a.review.id).toBe(b.review.id);
      expect(a.review.id).toBe('qa:c-1');
      const stored = await store.qaReviews.get('qa:c-1');
      expect(stored).toMatchObject({ conversationId: 'c-1', status: 'pending', scorings: [], responses: [], teams: ['welfare'], day: '2026-03-02' });
      expect(stored?.closedAt).toEqual(new Date('2026-03-02T03:00:00Z'));
      expect(await store.qaReviews.create(review('c-1'), now)).toMatchObject({ created: false, review: { id: 'qa:c-1' } });
      expect(await store.qaReviews.get('qa:missing')).toBeUndefined();
    });

    it('keeps scorings and responses with their dates, and reports a missing review', async () => {
      await store.qaReviews.create(review('c-2'), now);
      const later = new Date('2026-03-03T02:00:00Z');
      const scored = await store.qaReviews.update('qa:c-2', { status: 'scored', scorings: [scoring], reasons: ['sample', 'low_csat'] }, later);
      expect(scored).toMatchObject({ status: 'scored', reasons: ['sample', 'low_csat'], scorings: [{ score: 0, rawScore: 20, criticalFailed: true }] });
      expect(scored.updatedAt).toEqual(later);
      const answered = await store.qaReviews.update('qa:c-2', { status: 'disputed', responses: [{ round: 1, kind: 'dispute', comment: '본인 확인은 필요 없었습니다', at: later }] }, later);
      expect(answered.responses[0]).toMatchObject({ kind: 'dispute', round: 1 });
      const back = (await store.qaReviews.get('qa:c-2'))!;
      expect(back.scorings[0]!.answers.map((a) => [a.itemId, a.result, a.comment])).toEqual([
        ['greeting', 'pass', undefined],
        ['accuracy', 'fail', '=잘못된 안내'],
        ['identity', 'na', undefined],
      ]);
      expect(back.scorings[0]!.scoredAt).toEqual(now);
      expect(back.responses[0]!.at).toEqual(later);
      await expect(store.qaReviews.update('qa:nope', { status: 'scored' }, later)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lists by status, counselor and close time, oldest close first, within the limit', async () => {
      const at = (iso: string) => new Date(iso);
      await store.qaReviews.create(review('c-late', { closedAt: at('2026-03-05T00:00:00Z') }), now);
      await store.qaReviews.create(review('c-early', { closedAt: at('2026-03-01T00:00:00Z') }), now);
      await store.qaReviews.create(review('c-lee', { counselorId: 'u-lee', closedAt: at('2026-03-03T00:00:00Z') }), now);
      await store.qaReviews.update('qa:c-late', { status: 'scored' }, now);
      const ids = (rs: { id: string }[]) => rs.map((r) => r.id);
      expect(ids(await store.qaReviews.list({ limit: 10 }))).toEqual(['qa:c-early', 'qa:c-lee', 'qa:c-late']);
      expect(ids(await store.qaReviews.list({ statuses: ['pending'], limit: 10 }))).toEqual(['qa:c-early', 'qa:c-lee']);
      expect(ids(await store.qaReviews.list({ statuses: ['scored', 'disputed'], limit: 10 }))).toEqual(['qa:c-late']);
      expect(ids(await store.qaReviews.list({ counselorId: 'u-lee', limit: 10 }))).toEqual(['qa:c-lee']);
      expect(ids(await store.qaReviews.list({ closedFrom: at('2026-03-03T00:00:00Z'), closedBefore: at('2026-03-05T00:00:00Z'), limit: 10 }))).toEqual(['qa:c-lee']);
      expect(ids(await store.qaReviews.list({ limit: 2 }))).toEqual(['qa:c-early', 'qa:c-lee']);
    });

    it('grants a claim to exactly one of several concurrent callers, with its data', async () => {
      const results = await Promise.all(
        ['i1', 'i2', 'i3', 'i4'].map((by) => store.qaReviews.claim({ key: 'qa-sample:2026-03-02', by, at: now, data: { seed: `seed-${by}` } })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['i1', 'i2', 'i3', 'i4'][results.indexOf(true)];
      const claim = await store.qaReviews.getClaim('qa-sample:2026-03-02');
      expect(claim).toMatchObject({ key: 'qa-sample:2026-03-02', by: winner, data: { seed: `seed-${winner}` } });
      expect(claim?.completedAt).toBeUndefined();
      await store.qaReviews.completeClaim('qa-sample:2026-03-02', now);
      expect((await store.qaReviews.getClaim('qa-sample:2026-03-02'))?.completedAt).toEqual(now);
      expect(await store.qaReviews.getClaim('qa-sample:other')).toBeUndefined();
    });

    it('deletes a conversation’s review and its claims, and nothing else', async () => {
      await store.qaReviews.create(review('c-del'), now);
      await store.qaReviews.create(review('c-keep'), now);
      await store.qaReviews.claim({ key: 'qa-score:qa:c-del:1', subject: 'qa:c-del', by: 'u-qa', at: now });
      await store.qaReviews.claim({ key: 'qa-score:qa:c-keep:1', subject: 'qa:c-keep', by: 'u-qa', at: now });
      expect(await store.qaReviews.deleteByConversation('c-del')).toBe(1);
      expect(await store.qaReviews.get('qa:c-del')).toBeUndefined();
      expect(await store.qaReviews.getClaim('qa-score:qa:c-del:1')).toBeUndefined();
      expect(await store.qaReviews.get('qa:c-keep')).toBeDefined();
      expect(await store.qaReviews.getClaim('qa-score:qa:c-keep:1')).toBeDefined();
      expect(await store.qaReviews.deleteByConversation('c-del')).toBe(0);
      // Once deleted, the chat could be queued again (a new review).
      expect((await store.qaReviews.create(review('c-del'), now)).created).toBe(true);
    });
  });
}
