/**
 * Fault scripts (issue 15): each starts FerretDB, the service as child process(es) and a steady
 * sender, injects one fault, and then checks that every acknowledged message (HTTP 202) is stored
 * exactly once and answered, and that the service recovered by itself (new messages acknowledged
 * and answered after the fault, /readyz 200). Exit code 0 only then.
 *
 *   npm run fault -- service-sigkill | db-outage | redis-outage   [--outage-seconds 10]
 *   npm run fault -- db-blips   [--blips 60]
 *   npm run fault -- platform-outage   [--outage-seconds 60 --drain-seconds 240]
 *
 * platform-outage (scripts/faults/platform-outage.ts) drives a Telegram webhook and a fake Bot API
 * instead of the app API, and checks the outbox's deliveries as well.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startInstance, type ServiceInstance } from '../../bench/gateway-service';
import { startFerretDB, type FerretDB } from '../../test/support/ferretdb';
import { startRedis, type RedisServer } from '../../test/support/redis';
import { startTcpProxy, type TcpProxy } from '../../test/support/tcp-proxy';
import { log, SteadySender, verifyDelivery } from './fault-harness';
import { runPlatformOutage } from './platform-outage';

const ROOT = path.resolve(__dirname, '..', '..');
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    // Defaults: 10 s, and a minute for platform-outage (issue 15: "a platform API answering 500/429 for a minute").
    'outage-seconds': { type: 'string' },
    'before-seconds': { type: 'string', default: '6' },
    // Default 10 s; 20 for db-blips, whose last reset may leave a stuck monitor to be noticed (about 15 s).
    'after-seconds': { type: 'string' },
    'drain-seconds': { type: 'string', default: '240' },
    blips: { type: 'string', default: '60' },
  },
});
const name = positionals[0];
const outageMs = Number(args['outage-seconds'] ?? (name === 'platform-outage' ? 60 : 10)) * 1000;
const beforeMs = Number(args['before-seconds']) * 1000;
const afterMs = Number(args['after-seconds'] ?? (name === 'db-blips' ? 20 : 10)) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Turns an outage interrupted are re-run every TURN_RETRY_SECONDS; short here so a run takes a minute, not several. */
const SERVICE_ENV = { NLU_MODE: 'lexical', TURN_RETRY_SECONDS: '5' };

interface Running {
  db: FerretDB;
  instances: ServiceInstance[];
  proxy?: TcpProxy;
  redis?: RedisServer;
}

type Fault = (r: Running) => Promise<void>;

/** One instance reaching FerretDB through a TCP proxy, whose cut() is the database fault. */
async function serviceBehindDbProxy(db: FerretDB): Promise<Running> {
  const proxy = await startTcpProxy(db.port);
  const uri = `mongodb://127.0.0.1:${proxy.port}/${new URL(db.uri).pathname.slice(1)}`;
  return { db, proxy, instances: [await startInstance({ ...SERVICE_ENV, MONGODB_URI: uri })] };
}

const faults: Record<string, { setup: (db: FerretDB) => Promise<Running>; inject: Fault }> = {
  'service-sigkill': {
    setup: async (db) => ({ db, instances: [await startInstance({ ...SERVICE_ENV, MONGODB_URI: db.uri })] }),
    inject: async (r) => {
      const old = r.instances[0]!;
      log(`SIGKILL to the service (pid ${old.child.pid}) mid-traffic`);
      old.child.kill('SIGKILL');
      await new Promise((res) => old.child.once('exit', res));
      await sleep(1000);
      log('starting the service again on the same port');
      r.instances[0] = await startInstance(old.env, { port: old.port });
      log('service ready again');
    },
  },
  'db-outage': {
    setup: serviceBehindDbProxy,
    inject: async (r) => {
      log(`database link cut (every connection reset, new ones refused) for ${outageMs / 1000} s`);
      r.proxy!.cut();
      await sleep(outageMs);
      r.proxy!.restore();
      log('database link restored');
    },
  },
  // Short resets, as a flaky network or a restarting database gives: each one is a chance for the
  // driver's monitor to hang in a heartbeat (src/store/mongo/monitor-watchdog.ts).
  'db-blips': {
    setup: serviceBehindDbProxy,
    inject: async (r) => {
      const blips = Number(args.blips);
      log(`${blips} database link resets (0-50 ms each, 0.1-0.6 s apart)`);
      for (let i = 0; i < blips; i++) {
        r.proxy!.cut();
        await sleep(Math.random() * 50);
        r.proxy!.restore();
        await sleep(100 + Math.random() * 500);
      }
      log('resets over');
    },
  },
  'redis-outage': {
    setup: async (db) => {
      const ensure = spawnSync('bash', [path.join(ROOT, 'scripts', 'test-redis', 'ensure.sh')], { stdio: 'inherit' });
      if (ensure.status !== 0) throw new Error('redis-server is not available (scripts/test-redis/ensure.sh failed)');
      const redis = await startRedis();
      const env = { ...SERVICE_ENV, MONGODB_URI: db.uri, REDIS_URL: redis.uri };
      const instances = [await startInstance(env), await startInstance(env)];
      return { db, redis, instances };
    },
    inject: async (r) => {
      log(`Redis stopped for ${outageMs / 1000} s while two instances run`);
      await r.redis!.halt();
      await sleep(outageMs);
      await r.redis!.restart();
      log('Redis started again');
    },
  },
};

async function main(): Promise<number> {
  if (name === 'platform-outage')
    return runPlatformOutage({ outageMs, beforeMs, afterMs, drainMs: Number(args['drain-seconds']) * 1000, serviceEnv: SERVICE_ENV });
  const fault = name ? faults[name] : undefined;
  if (!fault) {
    console.error(`usage: npm run fault -- <${[...Object.keys(faults), 'platform-outage'].join('|')}>`);
    return 2;
  }
  log(`fault script ${name}: starting FerretDB and the service`);
  const db = await startFerretDB({ dbName: `fault-${name}` });
  let running: Running | undefined;
  let sender: SteadySender | undefined;
  try {
    running = await fault.setup(db);
    const urls = running.instances.map((i) => i.url);
    sender = new SteadySender(urls);
    await sender.start();
    log(`${urls.length} instance(s) ready; steady sender running`);
    await sleep(beforeMs);
    const faultStart = Date.now();
    await fault.inject(running);
    const faultEnd = Date.now();
    await sleep(afterMs);
    await sender.stop();
    const afterFault = sender.acked.filter((a) => a.at > faultEnd).length;
    log(`sender stopped: ${sender.acked.length} acknowledged (${sender.acked.filter((a) => a.at < faultStart).length} before the fault, ${afterFault} after it); refused or failed: ${[...sender.failures].map(([k, v]) => `${v}× ${k}`).join(', ') || 'none'}`);
    const verdict = await verifyDelivery(db.uri, sender);
    for (const line of verdict.lines) log(line);
    const ready = await Promise.all(running.instances.map(async (i) => (await fetch(`${i.url}/readyz`)).status));
    log(`/readyz after the fault: ${ready.join(', ')}`);
    const reopens = await Promise.all(running.instances.map(async (i) => /^dajeong_store_connection_reopens (\d+)/m.exec(await (await fetch(`${i.url}/metrics`)).text())?.[1] ?? '?'));
    log(`database connection reopened after a hung driver monitor: ${reopens.join(', ')} time(s)`);
    const recovered = afterFault > 0 && ready.every((s) => s === 200);
    const ok = verdict.ok && recovered;
    log(`${ok ? 'OK' : 'FAILED'}: ${verdict.ok ? 'nothing acknowledged lost, duplicated or unanswered' : 'acknowledged messages lost, duplicated or unanswered'}; ${recovered ? 'recovered by itself' : 'did not recover'}`);
    return ok ? 0 : 1;
  } finally {
    await sender?.stop();
    await Promise.all(running?.instances.map((i) => i.stop()) ?? []);
    await running?.proxy?.close();
    await running?.redis?.stop();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
