/** KnowledgeStore (versioned FAQ and intent edits) behaviour every Store implementation must show. */
import type { Store } from '../../src/core/store-port';

export function runKnowledgeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`knowledge store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('numbers versions per key, keeps history and returns the latest per key', async () => {
      const v1 = await store.knowledge.append({
        kind: 'faq',
        key: 'b',
        doc: { answer: 'one' },
        actor: 'seed',
      });
      const v2 = await store.knowledge.append({
        kind: 'faq',
        key: 'b',
        doc: { answer: 'two' },
        actor: 'admin',
        note: 'fix',
        expectedVersion: 1,
      });
      await store.knowledge.append({ kind: 'faq', key: 'a', doc: { answer: 'x' }, actor: 'seed' });
      await store.knowledge.append({ kind: 'intent', key: 'a', doc: { examples: {} }, actor: 'seed' });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(v2).toMatchObject({
        kind: 'faq',
        key: 'b',
        actor: 'admin',
        note: 'fix',
        deleted: false,
        doc: { answer: 'two' },
      });
      expect(Number.isNaN(new Date(v2.at).getTime())).toBe(false);
      expect(typeof v2.at.getTime).toBe('function');
      const latest = await store.knowledge.latest('faq');
      expect(latest.map((v) => [v.key, v.version])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      expect((await store.knowledge.history('faq', 'b')).map((v) => v.doc)).toEqual([
        { answer: 'one' },
        { answer: 'two' },
      ]);
      expect((await store.knowledge.get('intent', 'a'))?.version).toBe(1);
      expect(await store.knowledge.get('faq', 'zzz')).toBeUndefined();
    });

    it('records deletions as tombstones', async () => {
      await store.knowledge.append({ kind: 'faq', key: 'a', doc: { answer: 'x' }, actor: 'seed' });
      const gone = await store.knowledge.append({ kind: 'faq', key: 'a', deleted: true, actor: 'admin' });
      expect(gone).toMatchObject({ version: 2, deleted: true });
      expect(gone.doc).toBeUndefined();
      expect((await store.knowledge.latest('faq'))[0]).toMatchObject({ key: 'a', deleted: true });
    });

    it('rejects a stale expected version, and lets one of several concurrent editors win', async () => {
      await store.knowledge.append({ kind: 'faq', key: 'a', doc: { n: 0 }, actor: 'seed' });
      await expect(
        store.knowledge.append({ kind: 'faq', key: 'a', doc: { n: 1 }, actor: 'x', expectedVersion: 0 }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const results = await Promise.allSettled(
        [1, 2, 3].map((n) =>
          store.knowledge.append({ kind: 'faq', key: 'a', doc: { n }, actor: `e${n}`, expectedVersion: 1 }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
      expect(await store.knowledge.history('faq', 'a')).toHaveLength(2);
    });
  });
}
