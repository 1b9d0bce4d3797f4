/**
 * npm run bench:transit — generates a synthetic Gyeonggi-size GTFS feed (2,500 routes, 30,000
 * stops, over 5 million stop_times) into .cache/, imports it the way the service does (worker
 * thread) and reports import time, the largest event-loop delay during the import, memory added
 * (RSS, heap, array buffers) and answer latency p50/p95 of the transit dialogue over many questions.
 * Targets: import < 90 s, memory added < 600 MB, p95 < 20 ms. Figures, not assertions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { importFeedInWorker } from '../src/transit/gtfs-import-host';
import { transitDialogue } from '../src/transit/transit-dialogue';
import { transferablesOf } from '../src/transit/transit-index';
import { TransitTimetable } from '../src/transit/transit-timetable';

const ROUTES = 2500;
const STOP_NAMES = 15_000; // two stops per name (both sides of the road): 30,000 stops
const STOPS_PER_TRIP = 40;
const TRIPS_PER_DIRECTION = { WD: 16, SA: 5, SU: 5 };
const QUESTIONS = 3000;
const FEED_DIR = path.join(__dirname, '..', '.cache', 'transit-bench-feed');
const VERSION = 'bench-v1';

/** Deterministic pseudo-random numbers, so every run measures the same feed and questions. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

const SYLLABLES = '가나다라마바사아자차카타파하수원광교영통동탄기흥구성정자미금오산평택안양군포의왕시흥부천김포고양파주양주포천가평여주이천용인화성하남광주'.split('');
const SUFFIXES = ['역', '사거리', '입구', '초등학교', '아파트', '시장', '주민센터', '공원', '삼거리', '터미널'];

function stopName(i: number): string {
  const a = SYLLABLES[i % SYLLABLES.length]!;
  const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length]!;
  const c = SYLLABLES[Math.floor(i / SYLLABLES.length ** 2) % SYLLABLES.length]!;
  return `${a}${b}${c}${SUFFIXES[i % SUFFIXES.length]}`;
}

function routeNumber(i: number): string {
  if (i % 10 === 0) return `M${5000 + i}`;
  if (i % 7 === 0) return `${(i % 90) + 1}-${(i % 9) + 1}`;
  // Numbers repeat in different cities, as in Gyeonggi.
  return String((i % 1900) + 1);
}

const hms = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

async function writeLines(file: string, header: string, rows: (write: (line: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = fs.createWriteStream(file);
  let buffer: string[] = [header];
  const flush = async () => {
    if (!out.write(`${buffer.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    buffer = [];
  };
  await rows(async (line) => {
    buffer.push(line);
    if (buffer.length >= 20_000) await flush();
  });
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function generate(): Promise<{ stopTimes: number }> {
  const marker = path.join(FEED_DIR, 'feed_info.txt');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').includes(VERSION)) {
    return { stopTimes: Number(fs.readFileSync(path.join(FEED_DIR, 'count.txt'), 'utf8')) };
  }
  fs.rmSync(FEED_DIR, { recursive: true, force: true });
  fs.mkdirSync(FEED_DIR, { recursive: true });
  const rand = rng(17);
  const w = (name: string, text: string) => fs.writeFileSync(path.join(FEED_DIR, name), text);
  w('agency.txt', 'agency_id,agency_name,agency_url,agency_timezone\n' + Array.from({ length: 31 }, (_, a) => `A${a},"경기 ${a}번 운수",https://example.org/${a},Asia/Seoul`).join('\n') + '\n');
  w('calendar.txt', 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20271231\nSA,0,0,0,0,0,1,0,20260101,20271231\nSU,0,0,0,0,0,0,1,20260101,20271231\n');
  w('calendar_dates.txt', 'service_id,date,exception_type\nWD,20261225,2\nSU,20261225,1\n');
  await writeLines(path.join(FEED_DIR, 'stops.txt'), 'stop_id,stop_code,stop_name,stop_lat,stop_lon', async (row) => {
    for (let n = 0; n < STOP_NAMES; n++)
      for (const side of [0, 1]) await row(`S${n * 2 + side},${String(n * 2 + side).padStart(5, '0')},${stopName(n)},37.${n},127.${side}`);
  });
  await writeLines(path.join(FEED_DIR, 'routes.txt'), 'route_id,agency_id,route_short_name,route_long_name,route_type', async (row) => {
    for (let r = 0; r < ROUTES; r++) await row(`R${r},A${r % 31},${routeNumber(r)},"${stopName(r)} - ${stopName(r + 7)}",3`);
  });
  const routeStops: number[][] = [];
  for (let r = 0; r < ROUTES; r++) routeStops.push(Array.from({ length: STOPS_PER_TRIP }, () => Math.floor(rand() * STOP_NAMES)));
  await writeLines(path.join(FEED_DIR, 'trips.txt'), 'route_id,service_id,trip_id,trip_headsign,direction_id', async (row) => {
    for (let r = 0; r < ROUTES; r++)
      for (const dir of [0, 1])
        for (const [service, n] of Object.entries(TRIPS_PER_DIRECTION))
          for (let k = 0; k < n; k++) await row(`R${r},${service},T${r}-${dir}-${service}-${k},${stopName(routeStops[r]![dir ? 0 : STOPS_PER_TRIP - 1]!)},${dir}`);
  });
  let count = 0;
  await writeLines(path.join(FEED_DIR, 'stop_times.txt'), 'trip_id,arrival_time,departure_time,stop_id,stop_sequence', async (row) => {
    for (let r = 0; r < ROUTES; r++)
      for (const dir of [0, 1])
        for (const [service, n] of Object.entries(TRIPS_PER_DIRECTION))
          for (let k = 0; k < n; k++) {
            // Spread over the day, the last ones after midnight.
            let t = 5 * 3600 + Math.floor(((19.5 * 3600) / n) * k) + (r % 13) * 60;
            for (let i = 0; i < STOPS_PER_TRIP; i++) {
              const stop = routeStops[r]![dir ? STOPS_PER_TRIP - 1 - i : i]! * 2 + dir;
              await row(`T${r}-${dir}-${service}-${k},${hms(t)},${hms(t)},S${stop},${i + 1}`);
              t += 90 + (i % 3) * 30;
              count++;
            }
          }
  });
  w('count.txt', String(count));
  w('feed_info.txt', `feed_publisher_name,feed_version,feed_lang\n합성 경기 GTFS,${VERSION},ko\n`);
  return { stopTimes: count };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log('generating the synthetic feed (cached in .cache/transit-bench-feed)...');
  const t0 = performance.now();
  const { stopTimes } = await generate();
  const size = fs.readdirSync(FEED_DIR).reduce((sum, f) => sum + fs.statSync(path.join(FEED_DIR, f)).size, 0);
  console.log(`feed: ${ROUTES} routes, ${STOP_NAMES * 2} stops, ${stopTimes.toLocaleString('en')} stop_times, ${mb(size)} on disk (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // The machine's own noise: event-loop delay of an idle main thread for 5 s.
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 5000));
  idle.disable();

  gc?.();
  const before = process.memoryUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let peakRss = before.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
  const start = performance.now();
  const data = await importFeedInWorker(FEED_DIR);
  const importSeconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  loop.disable();
  const indexBytes = transferablesOf(data).reduce((sum, b) => sum + b.byteLength, 0);
  const timetable = new TransitTimetable(data);
  gc?.();
  await new Promise((r) => setTimeout(r, 500));
  gc?.();
  const after = process.memoryUsage();

  // Questions a resident asks, answered end to end by the dialogue (parse, look up, compute, format).
  const rand = rng(99);
  const now = new Date('2026-11-30T08:15:00+09:00');
  const kinds = ['첫차가 몇 시예요?', '막차 몇 시예요?', '배차간격 어떻게 돼요?'];
  const latencies: number[] = [];
  let answered = 0;
  for (let i = 0; i < QUESTIONS; i++) {
    const r = Math.floor(rand() * ROUTES);
    const number = routeNumber(r);
    const stop = stopName(Math.floor(rand() * STOP_NAMES));
    const text =
      i % 4 === 3 ? `${stop} 정류장에서 ${number}번 다음 버스 언제 와요?` : `${number}번 버스 ${kinds[i % 3]}`;
    const t = performance.now();
    const result = transitDialogue({ text, language: i % 5 === 0 ? 'en' : 'ko', now, transitIntent: true }, { state: 'ready', timetable });
    latencies.push(performance.now() - t);
    if (result.handled) answered++;
  }
  latencies.sort((a, b) => a - b);
  const stopSearch: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    timetable.searchStops(stopName(Math.floor(rand() * STOP_NAMES)).slice(0, 3));
    stopSearch.push(performance.now() - t);
  }
  stopSearch.sort((a, b) => a - b);

  const rss = after.rss - before.rss;
  console.log(`import (worker thread): ${importSeconds.toFixed(1)} s (target < 90 s); in-worker build ${(data.stats.importMs / 1000).toFixed(1)} s`);
  console.log(`event loop during import: max delay ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms (idle main thread on this machine: max ${(idle.max / 1e6).toFixed(1)} ms, p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms)`);
  console.log(`memory added after import: RSS ${mb(rss)} (target < 600 MB), heap ${mb(after.heapUsed - before.heapUsed)}; index buffers ${mb(indexBytes)}; peak RSS added during import (worker included) ${mb(peakRss - before.rss)}${gc ? '' : ' (run with --expose-gc for steadier figures)'}`);
  console.log(`answers: ${answered}/${QUESTIONS} handled; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms (target < 20 ms), max ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`stop-name search (3-letter prefixes): p50 ${percentile(stopSearch, 50).toFixed(2)} ms, p95 ${percentile(stopSearch, 95).toFixed(2)} ms`);
  console.log(`machine load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
