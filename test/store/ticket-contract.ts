/** TicketStore behaviour every Store implementation must show. */
import type { Store } from '../../src/core/store-port';
import type { NewTicket } from '../../src/core/ticket-port';

export function runTicketContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`ticket store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const input = (reference: string, extra: Partial<NewTicket> = {}): NewTicket => ({
      reference,
      category: 'road_damage_report',
      residentId: 'r1',
      conversationId: 'c1',
      channel: 'app',
      externalUserId: 'u1',
      language: 'ko',
      description: '도로에 구멍이 있어요',
      photos: [],
      ...extra,
    });

    it('creates a received ticket with its first history event and finds it by id and reference', async () => {
      const t = await store.tickets.create(
        input('GG-20261127-0001', {
          location: { latitude: 37.26, longitude: 127.03, address: '수원시 팔달구' },
          photos: [{ url: 'https://example.org/p.jpg' }],
        }),
      );
      expect(t).toMatchObject({
        status: 'received',
        reference: 'GG-20261127-0001',
        photos: [{ url: 'https://example.org/p.jpg' }],
      });
      expect(t.history).toHaveLength(1);
      expect(t.history[0]).toMatchObject({ status: 'received', actor: 'bot' });
      expect(typeof t.createdAt.getTime()).toBe('number');
      expect((await store.tickets.get(t.id))?.location?.address).toBe('수원시 팔달구');
      expect((await store.tickets.getByReference('GG-20261127-0001'))?.id).toBe(t.id);
      expect(await store.tickets.getByReference('GG-20261127-9999')).toBeUndefined();
    });

    it('lets exactly one of several concurrent creators take a reference', async () => {
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map(() => store.tickets.create(input('GG-20261127-0007'))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    });

    it('reports the highest sequence per day prefix, past four digits', async () => {
      expect(await store.tickets.lastSequence('GG-20261127-')).toBe(0);
      await store.tickets.create(input('GG-20261127-0002'));
      await store.tickets.create(input('GG-20261127-9999'));
      await store.tickets.create(input('GG-20261127-10000'));
      await store.tickets.create(input('GG-20261128-0005'));
      expect(await store.tickets.lastSequence('GG-20261127-')).toBe(10000);
      expect(await store.tickets.lastSequence('GG-20261128-')).toBe(5);
    });

    it('appends status events and filters lists, newest first', async () => {
      const a = await store.tickets.create(
        input('GG-20261127-0001', { createdAt: new Date('2026-11-27T01:00:00Z') }),
      );
      const b = await store.tickets.create(
        input('GG-20261127-0002', {
          category: 'illegal_parking_report',
          residentId: 'r2',
          createdAt: new Date('2026-11-27T02:00:00Z'),
        }),
      );
      const updated = await store.tickets.addEvent(a.id, {
        at: new Date(),
        status: 'in_progress',
        note: '현장 확인 중',
        actor: 'staff-1',
      });
      expect(updated.status).toBe('in_progress');
      expect(updated.history.map((h) => h.status)).toEqual(['received', 'in_progress']);
      expect(updated.history[1]).toMatchObject({ note: '현장 확인 중', actor: 'staff-1' });
      expect((await store.tickets.list({})).map((t) => t.id)).toEqual([b.id, a.id]);
      expect((await store.tickets.list({ status: ['in_progress'] })).map((t) => t.id)).toEqual([a.id]);
      expect((await store.tickets.list({ category: 'illegal_parking_report' })).map((t) => t.id)).toEqual([
        b.id,
      ]);
      expect((await store.tickets.list({ residentId: 'r1' })).map((t) => t.id)).toEqual([a.id]);
      expect((await store.tickets.list({ from: new Date('2026-11-27T01:30:00Z') })).map((t) => t.id)).toEqual(
        [b.id],
      );
      expect((await store.tickets.list({ to: new Date('2026-11-27T01:30:00Z') })).map((t) => t.id)).toEqual([
        a.id,
      ]);
      expect(await store.tickets.list({ limit: 1 })).toHaveLength(1);
      await expect(
        store.tickets.addEvent('missing', { at: new Date(), status: 'resolved', actor: 'x' }),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('deletes a resident’s tickets', async () => {
      await store.tickets.create(input('GG-20261127-0001'));
      await store.tickets.create(input('GG-20261127-0002', { residentId: 'r2' }));
      expect(await store.tickets.deleteByResident('r1')).toBe(1);
      expect(await store.tickets.getByReference('GG-20261127-0001')).toBeUndefined();
      expect(await store.tickets.getByReference('GG-20261127-0002')).toBeDefined();
    });

    it('deletes finished tickets last changed before a cutoff and keeps open ones (retention)', async () => {
      const old = new Date('2024-01-10T00:00:00Z');
      const cutoff = new Date('2025-01-01T00:00:00Z');
      const resolved = await store.tickets.create(input('GG-20240101-0001', { createdAt: old }));
      await store.tickets.addEvent(resolved.id, { at: old, status: 'resolved', actor: 'staff' });
      const rejected = await store.tickets.create(input('GG-20240101-0002', { createdAt: old }));
      await store.tickets.addEvent(rejected.id, { at: old, status: 'rejected', actor: 'staff' });
      const stillOpen = await store.tickets.create(input('GG-20240101-0003', { createdAt: old }));
      await store.tickets.addEvent(stillOpen.id, { at: old, status: 'in_progress', actor: 'staff' });
      const recentlyResolved = await store.tickets.create(input('GG-20240101-0004', { createdAt: old }));
      await store.tickets.addEvent(recentlyResolved.id, { at: new Date('2025-03-01T00:00:00Z'), status: 'resolved', actor: 'staff' });

      expect(await store.tickets.deleteFinishedBefore(cutoff)).toBe(2);
      expect(await store.tickets.get(resolved.id)).toBeUndefined();
      expect(await store.tickets.getByReference('GG-20240101-0002')).toBeUndefined();
      expect(await store.tickets.get(stillOpen.id)).toBeDefined();
      expect(await store.tickets.get(recentlyResolved.id)).toBeDefined();
    });
  });
}
