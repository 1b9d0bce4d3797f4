/**
 * The Redis bus against the EventBus contract (buses on one Redis server = service instances,
 * including Redis stopped and restarted), plus what only it has: bounded buffers and gap reports.
 */
import { createEventBus } from '../../src/events/event-bus-factory';
import { RedisEventBus, compareIds } from '../../src/events/redis-event-bus';
import { REDIS_START_TIMEOUT_MS, startRedis, type RedisServer } from '../support/redis';
import { startTcpProxy } from '../support/tcp-proxy';
import { Collector, runEventBusContract, until } from './event-bus-contract';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, REDIS_START_TIMEOUT_MS);
afterAll(async () => {
  await redis?.stop();
});

// Reconnect quickly in tests (the default backs off up to 2 s).
const fast = { retryStrategy: () => 100 };
let streams = 0;
/** Buses of one test share a stream key; each test gets its own, so tests never see each other. */
let key = 'test:0';
beforeEach(() => {
  key = `test:${++streams}`;
});

async function makeBus(options: Partial<ConstructorParameters<typeof RedisEventBus>[0]> = {}): Promise<RedisEventBus> {
  const bus = new RedisEventBus({ url: redis.uri, streamKey: key, redis: fast, ...options });
  await bus.ready();
  return bus;
}

runEventBusContract('redis', {
  distributed: true,
  create: () => makeBus(),
  outage: { stop: () => redis.halt(), start: () => redis.restart() },
});

describe('redis event bus specifics', () => {
  const open: RedisEventBus[] = [];
  const bus = async (options: Parameters<typeof makeBus>[0] = {}) => {
    const b = await makeBus(options);
    open.push(b);
    return b;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  it('keeps at most maxPending events while Redis is away, dropping the oldest', async () => {
    const a = await bus({ maxPending: 5 });
    const b = await bus();
    const atB = new Collector(b, 'presence');
    await redis.halt();
    await until('the publisher notices the outage', () => !a.healthy());
    for (let i = 1; i <= 12; i++) a.publish('presence', { userId: `u${i}` });
    expect(a.stats()).toMatchObject({ pending: 5, dropped: 7 });
    await redis.restart();
    await atB.waitFor(5, 20_000);
    // A marker after the queued ones: nothing else from the outage can still be on its way.
    a.publish('presence', { userId: 'marker' });
    await atB.waitFor(6);
    expect(atB.items.map((p) => p.userId)).toEqual(['u8', 'u9', 'u10', 'u11', 'u12', 'marker']);
  }, 60_000);

  it('delivers an oversized event locally only, and says so in its stats', async () => {
    const a = await bus({ maxEventBytes: 1_000 });
    const b = await bus();
    const local = new Collector(a, 'presence');
    const atB = new Collector(b, 'presence');
    a.publish('presence', { userId: 'x'.repeat(2_000) });
    a.publish('presence', { userId: 'small' });
    await atB.waitFor(1);
    expect(local.items).toHaveLength(2);
    expect(atB.items.map((p) => p.userId)).toEqual(['small']);
    expect(a.stats().oversized).toBe(1);
  });

  it('reports a gap when Redis restarted, so consumers catch up from the store', async () => {
    const gaps: string[] = [];
    const b = await bus({ onGap: (reason) => gaps.push(reason) });
    await redis.halt();
    await redis.restart();
    await until('a gap is reported', () => gaps.length > 0);
    expect(gaps[0]).toMatch(/restarted/);
    await until('the bus reconnects', () => b.healthy());
  }, 60_000);

  it('reports a gap when it fell behind the retained stream', async () => {
    // B reaches Redis through a proxy the test can cut, so B misses A's writes for a while.
    const proxy = await startTcpProxy(redis.port);
    try {
      const gaps: string[] = [];
      const b = await bus({ url: proxy.url('redis'), onGap: (reason) => gaps.push(reason) });
      const a = await bus({ maxStreamLength: 10 });
      const atB = new Collector(b, 'presence');
      proxy.cut();
      await until('B notices it is cut off', () => !b.healthy());
      for (let i = 0; i < 1_000; i++) a.publish('presence', { userId: `u${i}` });
      await until('A wrote everything', () => a.stats().pending === 0);
      proxy.restore();
      await until('a trim gap is reported', () => gaps.length > 0, 20_000);
      expect(gaps[0]).toMatch(/retention/);
      // What B still got is the retained tail, in order, and far less than what A wrote.
      a.publish('presence', { userId: 'marker' });
      await until('B reads on after the gap', () => atB.items.at(-1)?.userId === 'marker');
      expect(atB.items.length).toBeLessThan(1_000);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('drops a silently dead connection and reads on over a new one', async () => {
    const proxy = await startTcpProxy(redis.port);
    try {
      const a = await bus();
      const b = await bus({ url: proxy.url('redis') });
      const atB = new Collector(b, 'presence');
      a.publish('presence', { userId: 'before' });
      await atB.waitFor(1);
      // B's connections stay open but carry nothing, and no reset ever arrives.
      proxy.freeze();
      a.publish('presence', { userId: 'during' });
      await atB.waitFor(2, 30_000);
      expect(atB.items.map((p) => p.userId)).toEqual(['before', 'during']);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('orders stream ids numerically', () => {
    expect(compareIds('1700000000000-2', '1700000000000-10')).toBe(-1);
    expect(compareIds('1700000000001-0', '1700000000000-99')).toBe(1);
    expect(compareIds('5-5', '5-5')).toBe(0);
  });
});

describe('createEventBus', () => {
  it('chooses Redis with REDIS_URL and the in-process bus without', async () => {
    const local = await createEventBus({});
    expect(local.kind).toBe('local');
    const [a, b] = [await createEventBus({ redisUrl: redis.uri, keyPrefix: `factory${streams}:` }), await createEventBus({ redisUrl: redis.uri, keyPrefix: `factory${streams}:` })];
    try {
      expect(a.kind).toBe('redis');
      const atB = new Collector(b, 'reload');
      a.publish('reload', { topic: 'faq', version: 'v2' });
      await atB.waitFor(1);
      expect(atB.items).toEqual([{ topic: 'faq', version: 'v2' }]);
    } finally {
      await Promise.all([a.close(), b.close(), local.close()]);
    }
  });

  it('starts without Redis after a bounded wait, and reports itself unhealthy', async () => {
    // A port nothing listens on.
    const bus = await createEventBus({ redisUrl: 'redis://127.0.0.1:1', readyTimeoutMs: 200 });
    try {
      expect(bus.healthy()).toBe(false);
    } finally {
      await bus.close();
    }
  });
});
