/**
 * bench:gateway — the service under load over real loopback HTTP, each figure beside its ceiling
 * measured in the same run (issue 15). A benchmark, not a test: it prints PASS/MISS per target and
 * never fails on a figure.
 *
 *   npm run bench:gateway [-- --seconds 20 --residents 32 --open-seconds 30 --rate 100
 *                             --open-residents 200 --mongo URI --only a,b,c1,c2]
 *
 *   (a)  NLU_MODE=lexical, closed loop, long-poll: messages/s vs a bare node:http echo  (>= 30 %)
 *   (b)  NLU_MODE=auto (transformer), closed loop: messages/s vs classify in-process   (>= 80 %)
 *   (c1) open loop, one instance: --rate messages/s from --open-residents (WebSocket)  p99 < 150 ms, 0 errors
 *   (c2) open loop, two instances on one FerretDB, twice the rate, residents sticky     same target
 *
 * Store: in-memory unless --mongo URI. c2 starts its own FerretDB (the serialized SQLite test server,
 * which takes a few turns a second) unless --c2-mongo URI names a MongoDB server to share (a replica
 * set; each run uses a new database on it). FerretDB's PostgreSQL handler cannot stand in: PostgreSQL
 * rejects the NUL separator of the conversation keys (SQLSTATE 22P05), checked 6 December 2026.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ConnectionString from 'mongodb-connection-string-url';
import { promisify } from 'node:util';
import { startRedis } from '../test/support/redis';
import { startFerretDB } from '../test/support/ferretdb';
import { closedLoop, openLoop, type LoadStats } from './gateway-load';
import { startEcho, startInstance, type ServiceInstance } from './gateway-service';

const ROOT = path.resolve(__dirname, '..');

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    residents: { type: 'string', default: '32' },
    'open-seconds': { type: 'string', default: '30' },
    rate: { type: 'string', default: '100' },
    'open-residents': { type: 'string', default: '200' },
    mongo: { type: 'string' },
    'c2-mongo': { type: 'string' },
    only: { type: 'string', default: 'a,b,c1,c2' },
  },
});
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const residents = Number(args.residents);
const openSeconds = Number(args['open-seconds']);
const rate = Number(args.rate);
const openResidents = Number(args['open-residents']);
const only = new Set(args.only!.split(','));
const storeEnv: Record<string, string> = args.mongo ? { MONGODB_URI: args.mongo } : {};
const storeName = args.mongo ? 'MongoDB-wire store (--mongo)' : 'in-memory store';
const conversationLength = 5;

const machine = () => `cores ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const f1 = (x: number) => x.toFixed(1);

/**
 * What the load generator itself cost while `run` ran: its CPU and its own event-loop delay. It
 * shares the cores with what it measures, and a delayed generator loop adds to every latency it
 * records (a reply seen late, a message sent late), so each part prints this beside its figures.
 */
async function generatorCost<T>(run: () => Promise<T>): Promise<{ result: T; line: string }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  delay.enable();
  try {
    const result = await run();
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (used.user + used.system) / 1e6;
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    return {
      result,
      line: `load generator: CPU ${cpuSeconds.toFixed(1)} s in ${seconds.toFixed(1)} s (${((100 * cpuSeconds) / seconds).toFixed(0)} % of a core), its event-loop delay p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms`,
    };
  } finally {
    delay.disable();
  }
}

function latencyLine(stats: LoadStats): string {
  const errors = stats.errorCount();
  const detail = errors ? ` (${[...stats.errors].map(([k, v]) => `${v}× ${k}`).join('; ')})` : '';
  return `replies ${stats.latencies.length}/${stats.offered}, p50 ${f1(stats.percentile(50))} ms, p95 ${f1(stats.percentile(95))} ms, p99 ${f1(stats.percentile(99))} ms, errors ${errors}${detail}`;
}

async function benchLexical(): Promise<void> {
  console.log(`\n(a) lexical classifier, closed loop: ${residents} residents, long-poll, ${seconds} s after ${warmupSeconds} s warm-up, ${storeName}`);
  const echo = await startEcho();
  const load = { residents, seconds, warmupSeconds, transport: 'poll' as const, conversationLength };
  let ceiling;
  let cost;
  try {
    ({ result: ceiling, line: cost } = await generatorCost(() => closedLoop({ ...load, baseUrls: [echo.url] })));
  } finally {
    await echo.stop();
  }
  console.log(`    echo ceiling (bare node:http):  ${f1(ceiling.perSecond)} messages/s, p50 ${f1(ceiling.stats.percentile(50))} ms, p99 ${f1(ceiling.stats.percentile(99))} ms, errors ${ceiling.stats.errorCount()}   [${machine()}]`);
  console.log(`      ${cost}`);
  const service = await startInstance({ NLU_MODE: 'lexical', ...storeEnv });
  let run;
  try {
    ({ result: run, line: cost } = await generatorCost(() => closedLoop({ ...load, baseUrls: [service.url] })));
    console.log(`    service peak RSS ${f1(service.peakRssMb())} MB`);
  } finally {
    await service.stop();
  }
  const ratio = run.perSecond / ceiling.perSecond;
  console.log(`    service (NLU_MODE=lexical):     ${f1(run.perSecond)} messages/s, p50 ${f1(run.stats.percentile(50))} ms, p99 ${f1(run.stats.percentile(99))} ms, errors ${run.stats.errorCount()}   [${machine()}]`);
  console.log(`      ${cost}`);
  console.log(`    ratio to echo ${pct(ratio)}  target >= 30 %  ${verdict(ratio >= 0.3)}`);
}

async function modelOnly(concurrency: number): Promise<{ perSecond: number; threads: number; model: string }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'gateway-model-only.ts'), String(seconds), String(concurrency)],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { perSecond: number; threads: number; model: string };
}

async function benchTransformer(): Promise<void> {
  console.log(`\n(b) transformer (NLU_MODE=auto), closed loop: ${residents} residents, long-poll, ${seconds} s after ${warmupSeconds} s warm-up, ${storeName}`);
  const ceiling = await modelOnly(residents);
  console.log(`    model-only ceiling (in-process classify, ${ceiling.threads} threads, ${ceiling.model}): ${f1(ceiling.perSecond)} texts/s   [${machine()}]`);
  const service = await startInstance({ NLU_MODE: 'auto', ...storeEnv }, { transformer: true });
  let run;
  let cost;
  try {
    ({ result: run, line: cost } = await generatorCost(() =>
      closedLoop({ residents, seconds, warmupSeconds, transport: 'poll', conversationLength, baseUrls: [service.url] }),
    ));
    console.log(`    service peak RSS ${f1(service.peakRssMb())} MB`);
  } finally {
    await service.stop();
  }
  const ratio = run.perSecond / ceiling.perSecond;
  console.log(`    service (transformer):          ${f1(run.perSecond)} messages/s, p50 ${f1(run.stats.percentile(50))} ms, p99 ${f1(run.stats.percentile(99))} ms, errors ${run.stats.errorCount()}   [${machine()}]`);
  console.log(`      ${cost}`);
  console.log(`    ratio to model-only ${pct(ratio)}  target >= 80 %  ${verdict(ratio >= 0.8)}`);
}

async function openLoopOn(instances: ServiceInstance[], offered: number, label: string): Promise<void> {
  const { result: stats, line: cost } = await generatorCost(() =>
    openLoop({
      baseUrls: instances.map((i) => i.url),
      residents: openResidents,
      ratePerSecond: offered,
      seconds: openSeconds,
      transport: 'ws',
      conversationLength,
    }),
  );
  const p99 = stats.percentile(99);
  const ok = p99 < 150 && stats.errorCount() === 0;
  console.log(`    ${label}: offered ${offered}/s for ${openSeconds} s: ${latencyLine(stats)}   [${machine()}]`);
  console.log(`      ${cost}`);
  console.log(`    peak RSS per instance: ${instances.map((i) => `${f1(i.peakRssMb())} MB`).join(', ')}`);
  console.log(`    target p99 < 150 ms and 0 errors  ${verdict(ok)}`);
}

async function benchOpenOne(): Promise<void> {
  console.log(`\n(c1) open loop, one instance (NLU_MODE=lexical, ${storeName}), ${openResidents} residents over WebSocket`);
  const service = await startInstance({ NLU_MODE: 'lexical', ...storeEnv });
  try {
    await openLoopOn([service], rate, 'one instance');
  } finally {
    await service.stop();
  }
}

/** The URI with its database path replaced, so every run starts on an empty database. */
function withDatabase(uri: string, name: string): string {
  // The driver's own parser: replica-set URIs list several hosts, which URL cannot hold.
  const url = new ConnectionString(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

async function benchOpenTwo(): Promise<void> {
  const external = args['c2-mongo'];
  const storeLabel = external ? `the MongoDB-wire server at --c2-mongo` : 'one FerretDB (SQLite test server)';
  console.log(`\n(c2) open loop, two instances on ${storeLabel} (NLU_MODE=lexical), ${openResidents} residents sticky to one instance each`);
  const db = external ? { uri: withDatabase(external, `bench-gateway-${Date.now()}`), stop: async () => {} } : await startFerretDB({ dbName: 'bench-gateway' });
  // Several instances run with Redis, as deployed (README): events, rate limits and reloads are shared.
  const redis = await startRedis();
  const instances: ServiceInstance[] = [];
  try {
    for (let i = 0; i < 2; i++) instances.push(await startInstance({ NLU_MODE: 'lexical', MONGODB_URI: db.uri, REDIS_URL: redis.uri }));
    await openLoopOn(instances, 2 * rate, 'two instances');
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await redis.stop();
    await db.stop();
  }
}

async function main(): Promise<void> {
  console.log(`bench:gateway  node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('The load generator, the service instance(s), the echo / model ceiling and FerretDB share this machine.');
  if (only.has('a')) await benchLexical();
  if (only.has('b')) await benchTransformer();
  if (only.has('c1')) await benchOpenOne();
  if (only.has('c2')) await benchOpenTwo();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
