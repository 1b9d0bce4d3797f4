/** NoticeStore behaviour every Store implementation must show. */
import type { NewNotice } from '../../src/core/notice-port';
import type { Store } from '../../src/core/store-port';

export function runNoticeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`notice store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const hour = 3_600_000;
    const notice = (startsAt: Date, endsAt: Date, extra: Partial<NewNotice> = {}): NewNotice => ({
      title: { ko: '버스 파업', en: 'Bus strike' },
      body: { ko: '오늘 일부 노선 운행 중단', en: 'Some routes suspended today' },
      intents: ['transport_schedule'],
      severity: 'warning',
      startsAt,
      endsAt,
      createdBy: 'supervisor-1',
      ...extra,
    });

    it('creates, updates, lists active ones only within their window, and deletes', async () => {
      const now = Date.now();
      const active = await store.notices.create(
        notice(new Date(now - hour), new Date(now + hour), { region: '수원시' }),
      );
      const expired = await store.notices.create(notice(new Date(now - 3 * hour), new Date(now - hour)));
      const future = await store.notices.create(notice(new Date(now + hour), new Date(now + 2 * hour)));
      expect(active).toMatchObject({ region: '수원시', severity: 'warning', title: { ko: '버스 파업' } });
      expect((await store.notices.list({ activeAt: new Date(now) })).map((n) => n.id)).toEqual([active.id]);
      expect((await store.notices.list({})).map((n) => n.id)).toEqual([future.id, active.id, expired.id]);
      const updated = await store.notices.update(active.id, { severity: 'alert', region: undefined });
      expect(updated.severity).toBe('alert');
      expect(updated.region).toBeUndefined();
      expect(updated.createdBy).toBe('supervisor-1');
      await store.notices.delete(active.id);
      expect(await store.notices.get(active.id)).toBeUndefined();
      await expect(store.notices.update(active.id, { severity: 'info' })).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });
}
