/**
 * MongoStore against a real MongoDB-wire server (embedded FerretDB). Never skipped: if the
 * server cannot be built or started, beforeAll fails and so does every test here.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { runStoreContract } from './store-contract';

let server: FerretDB;
let dbCounter = 0;
/** A fresh database per store, so tests never see each other's data. */
const freshUri = (port = server.port) => `mongodb://127.0.0.1:${port}/t${++dbCounter}`;

beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

runStoreContract('mongodb (FerretDB)', () => MongoStore.connect(freshUri()));

describe('mongodb store specifics', () => {
  let store: MongoStore;
  beforeEach(async () => {
    store = await MongoStore.connect(freshUri());
  });
  afterEach(async () => {
    await store.close();
  });

  it('returns plain port objects: string ids, Dates, no _id, __v or internal keys', async () => {
    const resident = await store.residents.findOrCreateByIdentity(
      { channel: 'kakao', externalUserId: 'k1' },
      { locale: 'ko' },
    );
    const c = await store.conversations.create({
      residentId: resident.id,
      channel: 'kakao',
      externalUserId: 'k1',
      language: 'ko',
      state: 'bot',
      priority: 'normal',
      channelContext: { callbackUrl: 'https://example.org/cb' },
    });
    const m = await store.messages.append({
      conversationId: c.id,
      residentId: resident.id,
      channel: 'kakao',
      channelMessageId: 'k-1',
      direction: 'inbound',
      author: 'resident',
      content: { text: 'hi' },
    });
    const o = await store.outbox.enqueue({
      messageId: m.message.id,
      conversationId: c.id,
      channel: 'kakao',
      externalUserId: 'k1',
    });
    const e = await store.audit.record({ actor: 'a', action: 'x' });
    const read = [
      await store.residents.get(resident.id),
      await store.conversations.get(c.id),
      await store.messages.get(m.message.id),
      (await store.outbox.listByStatus('pending', 1))[0],
      (await store.audit.list({}))[0],
    ];
    for (const [written, got] of [resident, c, m.message, o, e].map((w, i) => [w, read[i]] as const)) {
      expect(got).toEqual(written);
      for (const key of ['_id', '__v', 'openKey', 'dedupeKey']) expect(got).not.toHaveProperty(key);
      expect(typeof got!.id).toBe('string');
    }
    expect(read[1]).toMatchObject({ channelContext: { callbackUrl: 'https://example.org/cb' } });
    expect(read[1]).not.toHaveProperty('assigneeId');
    expect((read[2] as { createdAt: unknown }).createdAt).toBeInstanceOf(Date);
    expect(resident).toEqual({
      id: resident.id,
      identities: [{ channel: 'kakao', externalUserId: 'k1' }],
      locale: 'ko',
      createdAt: expect.any(Date),
    });
  });

  it('rejects invalid records with code validation', async () => {
    const resident = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'v' });
    const c = await store.conversations.create({
      residentId: resident.id,
      channel: 'app',
      externalUserId: 'v',
      language: 'ko',
      state: 'bot',
      priority: 'normal',
    });
    await expect(store.conversations.update(c.id, { state: 'bogus' as never })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(store.conversations.update(c.id, { nonsense: 1 } as never)).rejects.toMatchObject({
      code: 'validation',
    });
    expect((await store.conversations.get(c.id))?.state).toBe('bot');
  });

  it('refuses to reopen a conversation while another one of the same identity is open', async () => {
    const resident = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'r' });
    const input = {
      residentId: resident.id,
      channel: 'app',
      externalUserId: 'r',
      language: 'ko',
      state: 'bot' as const,
      priority: 'normal' as const,
    };
    const first = await store.conversations.create(input);
    await store.conversations.update(first.id, { state: 'closed', closedAt: new Date() });
    const second = await store.conversations.create(input);
    await expect(store.conversations.update(first.id, { state: 'queued' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await store.conversations.update(second.id, { state: 'closed', closedAt: new Date() });
    expect((await store.conversations.update(first.id, { state: 'queued' })).state).toBe('queued');
    expect((await store.conversations.findOpen('app', 'r'))?.id).toBe(first.id);
  });
});

describe('mongodb store under concurrency (two stores on one database, like two replicas)', () => {
  let a: MongoStore;
  let b: MongoStore;
  // Stock FerretDB, which applies conditional updates non-atomically: only unique keys decide.
  let raw: FerretDB;
  beforeAll(async () => {
    raw = await startFerretDB({ serialize: false });
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await raw?.stop();
  });
  beforeEach(async () => {
    const uri = freshUri(raw.port);
    [a, b] = await Promise.all([MongoStore.connect(uri), MongoStore.connect(uri)]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  const pick = (i: number) => (i % 2 === 0 ? a : b);

  it('lets exactly one of 8 concurrent claims win, 20 rounds in a row', async () => {
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          pick(i).conversations.claim('conv-race', round + 1, `counselor-${i}`),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  it('leases each conversation to one of 4 workers at a time and hands out its entries in order, 10 rounds', async () => {
    for (let round = 0; round < 10; round++) {
      const ids = new Map<string, string[]>();
      for (let c = 0; c < 4; c++) {
        const conversationId = `conv-${round}-${c}`;
        const list: string[] = [];
        for (let seq = 1; seq <= 3; seq++) {
          list.push((await pick(seq).outbox.enqueue({ messageId: `m${seq}`, conversationId, seq, channel: 'telegram', externalUserId: '42' })).id);
        }
        ids.set(conversationId, list);
      }
      const handedOut = new Map<string, string[]>();
      for (let step = 0; step < 3; step++) {
        const now = new Date(Date.now() + 1000);
        const leased = (await Promise.all([0, 1, 2, 3].map((w) => pick(w).outbox.leaseDue(now, 10, `w${w}`)))).flat();
        // Exactly one entry per conversation, whichever worker won it.
        expect(leased.map((e) => e.conversationId).sort()).toEqual([...ids.keys()].sort());
        for (const e of leased) handedOut.set(e.conversationId, [...(handedOut.get(e.conversationId) ?? []), e.id]);
        // Marked concurrently from both stores; each mark is the holder's own.
        const marks = await Promise.all(leased.map((e, i) => pick(i).outbox.markSent(e, new Date())));
        expect(marks.every(Boolean)).toBe(true);
      }
      expect(Object.fromEntries(handedOut)).toEqual(Object.fromEntries(ids));
      for (const conversationId of ids.keys()) await a.outbox.deleteByConversation(conversationId);
    }
  });

  it('lets exactly one of 4 workers take over an abandoned lease, 10 rounds', async () => {
    for (let round = 0; round < 10; round++) {
      const conversationId = `abandoned-${round}`;
      await a.outbox.enqueue({ messageId: 'm1', conversationId, seq: 1, channel: 'telegram', externalUserId: '42' });
      const t0 = new Date(Date.now() + 1000);
      const [crashed] = await a.outbox.leaseDue(t0, 10, 'crashed');
      expect(crashed).toBeDefined();
      const later = new Date(t0.getTime() + 10 * 60_000);
      const takers = (await Promise.all([0, 1, 2, 3].map((w) => pick(w).outbox.leaseDue(later, 10, `w${w}`)))).flat();
      expect(takers.map((e) => e.id)).toEqual([crashed!.id]);
      expect(await a.outbox.markSent(crashed!, later)).toBe(false);
      expect(await b.outbox.markSent(takers[0]!, later)).toBe(true);
      await a.outbox.deleteByConversation(conversationId);
    }
  });

  it('keeps seq gap-free with 8 concurrent appends from two stores, 10 rounds', async () => {
    const resident = await a.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'race' });
    for (let round = 0; round < 10; round++) {
      const conversationId = `conv-${round}`;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          pick(i).messages.append({
            conversationId,
            residentId: resident.id,
            channel: 'app',
            direction: 'outbound',
            author: 'bot',
            content: { text: `m${i}` },
          }),
        ),
      );
      const seqs = (await b.messages.listByConversation(conversationId)).map((m) => m.seq);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('lets one of several concurrent creates (and reopens) per identity win, 10 rounds', async () => {
    const resident = await a.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'open' });
    for (let round = 0; round < 10; round++) {
      const input = {
        residentId: resident.id,
        channel: 'app',
        externalUserId: `open-${round}`,
        language: 'ko',
        state: 'bot' as const,
        priority: 'normal' as const,
      };
      const created = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => pick(i).conversations.create(input)),
      );
      expect(created.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = (created.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>)
        .value;
      const closed = [winner.id];
      await a.conversations.update(winner.id, { state: 'closed', closedAt: new Date() });
      for (let i = 0; i < 3; i++) {
        const c = await a.conversations.create(input);
        await a.conversations.update(c.id, { state: 'closed', closedAt: new Date() });
        closed.push(c.id);
      }
      const reopened = await Promise.allSettled(
        closed.map((id, i) => pick(i).conversations.update(id, { state: 'queued' })),
      );
      expect(reopened.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of reopened)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
    }
  });

  it('creates one resident for one identity under concurrent first contact', async () => {
    for (let round = 0; round < 10; round++) {
      const identity = { channel: 'kakao', externalUserId: `k${round}` };
      const got = await Promise.all(
        Array.from({ length: 6 }, (_, i) => pick(i).residents.findOrCreateByIdentity(identity)),
      );
      expect(new Set(got.map((r) => r.id)).size).toBe(1);
      expect(got[0]!.identities).toEqual([identity]);
    }
  });
});

describe('mongodb store when the server goes away', () => {
  const fast = { serverSelectionTimeoutMS: 1_000, heartbeatFrequencyMS: 500 };

  it('fails fast with unavailable while cut off, and recovers on the same address by itself', async () => {
    const proxy = await startProxy(server.port);
    const store = await MongoStore.connect(freshUri(proxy.port), fast);
    try {
      const resident = await store.residents.findOrCreateByIdentity({
        channel: 'app',
        externalUserId: 'dev-1',
      });
      proxy.cut();
      const started = Date.now();
      await expect(store.residents.get(resident.id)).rejects.toMatchObject({
        code: 'unavailable',
        retryable: true,
      });
      await expect(store.outbox.leaseDue(new Date(), 10, 'w1')).rejects.toMatchObject({
        code: 'unavailable',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await store.healthy()).toBe(false);

      proxy.restore();
      await waitUntil(() => store.healthy(), 15_000);
      expect((await store.residents.get(resident.id))?.id).toBe(resident.id);
    } finally {
      await store.close();
      await proxy.close();
    }
  }, 30_000);

  it('refuses to connect while the server is down, and connects once it is back', async () => {
    const proxy = await startProxy(server.port);
    const uri = freshUri(proxy.port);
    try {
      proxy.cut();
      await expect(MongoStore.connect(uri, fast)).rejects.toMatchObject({ code: 'unavailable' });
      proxy.restore();
      const store = await MongoStore.connect(uri, fast);
      expect(await store.healthy()).toBe(true);
      await store.close();
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it(
    'reports unavailable when the server process really stops',
    async () => {
      const own = await startFerretDB();
      const store = await MongoStore.connect(own.uri, fast);
      try {
        await store.audit.record({ actor: 'test', action: 'ping' });
        await own.stop();
        const started = Date.now();
        await expect(store.audit.list({})).rejects.toMatchObject({ code: 'unavailable' });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(await store.healthy()).toBe(false);
      } finally {
        await store.close();
        await own.stop();
      }
    },
    FERRETDB_START_TIMEOUT_MS,
  );
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Proxy {
  port: number;
  /** Drops every open connection and refuses new ones, like a network partition. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP forwarder in front of the server, so a test can cut and restore one fixed address. */
async function startProxy(targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let up = true;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const proxy: Server = createServer((client) => {
    track(client);
    if (!up) return void client.destroy();
    const upstream = netConnect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
