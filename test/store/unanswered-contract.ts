/** UnansweredStore behaviour every Store implementation must show. */
import type { Store } from '../../src/core/store-port';

export function runUnansweredContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`unanswered store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('groups occurrences by key with counts per reason, most asked first', async () => {
      await store.unanswered.record({
        key: 'ko:a',
        text: '드론 날려도 돼요?',
        language: 'ko',
        reason: 'low_confidence',
      });
      await store.unanswered.record({
        key: 'ko:b',
        text: '주차장 요금',
        language: 'ko',
        reason: 'low_confidence',
      });
      const again = await store.unanswered.record({
        key: 'ko:b',
        text: '주차장 요금?',
        language: 'ko',
        reason: 'not_helpful',
        faqId: 'f1',
        intent: 'transport_schedule',
      });
      expect(again).toMatchObject({
        count: 2,
        reasons: { low_confidence: 1, not_helpful: 1 },
        text: '주차장 요금',
        lastFaqId: 'f1',
        lastIntent: 'transport_schedule',
        status: 'open',
      });
      expect((await store.unanswered.list({})).map((i) => [i.key, i.count])).toEqual([
        ['ko:b', 2],
        ['ko:a', 1],
      ]);
    });

    it('counts concurrent first occurrences on one item', async () => {
      await Promise.all(
        [1, 2, 3, 4, 5].map(() =>
          store.unanswered.record({ key: 'en:x', text: 'x', language: 'en', reason: 'low_confidence' }),
        ),
      );
      const items = await store.unanswered.list({});
      expect(items).toHaveLength(1);
      expect(items[0]?.count).toBe(5);
    });

    it('resolves and dismisses; a resolved item that comes back is reopened, a dismissed one is not', async () => {
      const a = await store.unanswered.record({
        key: 'ko:a',
        text: 'a',
        language: 'ko',
        reason: 'low_confidence',
      });
      const b = await store.unanswered.record({
        key: 'ko:b',
        text: 'b',
        language: 'ko',
        reason: 'low_confidence',
      });
      const resolved = await store.unanswered.resolve(a.id, {
        kind: 'faq',
        target: 'faq-1',
        actor: 'staff',
        at: new Date(),
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: { kind: 'faq', target: 'faq-1', actor: 'staff' },
      });
      await store.unanswered.resolve(b.id, { kind: 'dismissed', actor: 'staff', at: new Date() });
      expect(await store.unanswered.list({ status: 'open' })).toHaveLength(0);
      const back = await store.unanswered.record({
        key: 'ko:a',
        text: 'a',
        language: 'ko',
        reason: 'not_helpful',
      });
      expect(back.status).toBe('open');
      expect(back.resolution).toBeUndefined();
      const stillDismissed = await store.unanswered.record({
        key: 'ko:b',
        text: 'b',
        language: 'ko',
        reason: 'low_confidence',
      });
      expect(stillDismissed).toMatchObject({ status: 'dismissed', count: 2 });
      await expect(
        store.unanswered.resolve('missing', { kind: 'dismissed', actor: 's', at: new Date() }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('links occurrences to who asked; forgetting a resident deletes items only they asked and lowers shared counts', async () => {
      const ask = (key: string, residentId: string) =>
        store.unanswered.record({ key, text: key, language: 'ko', reason: 'low_confidence', residentId });
      await ask('ko:제 이름은 김민지 010-1234-5678', 'r1');
      await ask('ko:제 이름은 김민지 010-1234-5678', 'r1');
      await ask('ko:주차장 요금', 'r1');
      await ask('ko:주차장 요금', 'r2');
      await store.unanswered.record({ key: 'ko:anonymous', text: 'x', language: 'ko', reason: 'low_confidence' });

      const mine = await store.unanswered.listByResident('r1');
      expect(mine.map((i) => [i.key, i.askedByResident]).sort()).toEqual([
        ['ko:제 이름은 김민지 010-1234-5678', 2],
        ['ko:주차장 요금', 1],
      ]);
      expect(await store.unanswered.forgetResident('r1')).toBe(1);
      expect(await store.unanswered.listByResident('r1')).toEqual([]);
      expect((await store.unanswered.list({})).map((i) => [i.key, i.count]).sort()).toEqual([
        ['ko:anonymous', 1],
        ['ko:주차장 요금', 1],
      ]);
      expect((await store.unanswered.listByResident('r2')).map((i) => i.key)).toEqual(['ko:주차장 요금']);
      expect(await store.unanswered.forgetResident('r1')).toBe(0);
    });
  });
}
