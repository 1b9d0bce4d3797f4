/**
 * Rate-limit counts in Redis are shared by every instance; in memory each instance counts alone.
 * Two express apps on loopback stand for two service instances.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { createRateLimitStores, type RateLimitStores } from '../../src/http/rate-limit-store';
import { REDIS_START_TIMEOUT_MS, startRedis, type RedisServer } from '../support/redis';
import { startTcpProxy } from '../support/tcp-proxy';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, REDIS_START_TIMEOUT_MS);
afterAll(async () => {
  await redis?.stop();
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

let prefixes = 0;
/** One "instance": its own stores (own Redis connection) and a limited route. */
async function instance(redisUrl: string | undefined, limit = 3, waitReady = true): Promise<{ url: string; stores: RateLimitStores }> {
  const stores = createRateLimitStores({ redisUrl, keyPrefix: `test${prefixes}:`, redis: { retryStrategy: () => 100 } });
  const app = express();
  app.post('/login', rateLimit({ windowMs: 60_000, limit, ...stores.forLimiter('login') }), (_req, res) => {
    res.status(401).json({ error: 'wrong password' });
  });
  if (waitReady) await stores.ready();
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push({ close: async () => (await stores.close(), await new Promise<void>((r) => server.close(() => r()))) });
  return { url, stores };
}

const post = async (url: string) => (await fetch(`${url}/login`, { method: 'POST' })).status;

beforeEach(() => {
  prefixes++;
});

it('shares one count between two instances on Redis', async () => {
  const [a, b] = [await instance(redis.uri), await instance(redis.uri)];
  expect(a.stores.kind).toBe('redis');
  const statuses = [await post(a.url), await post(b.url), await post(a.url), await post(b.url), await post(a.url)];
  expect(statuses).toEqual([401, 401, 401, 429, 429]);
});

it('counts per instance in memory when Redis is not configured', async () => {
  const [a, b] = [await instance(undefined), await instance(undefined)];
  expect(a.stores.kind).toBe('memory');
  const statuses = [await post(a.url), await post(b.url), await post(a.url), await post(b.url), await post(a.url), await post(b.url), await post(a.url)];
  expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
});

it('lets requests through while Redis is down and counts again once it is back', async () => {
  await redis.halt();
  try {
    // Started during the outage (not waiting for ready()): its scripts cannot load yet.
    const a = await instance(redis.uri, 2, false);
    expect([await post(a.url), await post(a.url), await post(a.url)]).toEqual([401, 401, 401]);
    await redis.restart();
    // Wait until the limiter counts again (its connection retries every 100 ms).
    let status = 0;
    for (let i = 0; i < 200 && status !== 429; i++) {
      status = await post(a.url);
      if (status !== 429) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(429);
  } finally {
    await redis.restart();
  }
}, 30_000);

it('does not hold requests when Redis stops answering without closing the connection', async () => {
  const proxy = await startTcpProxy(redis.port);
  try {
    const a = await instance(proxy.url('redis'), 2);
    expect(await post(a.url)).toBe(401);
    proxy.freeze();
    // Counted while the link worked: 1 of 2. Now Redis is silent; the limiter gives up and lets these through.
    expect([await post(a.url), await post(a.url), await post(a.url)]).toEqual([401, 401, 401]);
  } finally {
    await proxy.close();
  }
}, 30_000);
