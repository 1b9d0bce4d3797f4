/**
 * A responsive event loop (issue 15): while the service starts with the transformer (encoder load,
 * intent head training, FAQ index build and tuning, nothing cached) and while it hot-reloads after an
 * intent edit and an FAQ edit through the admin API, /healthz is polled continuously and the
 * service's own monitor must show no stall in which the loop was blocked for more than 200 ms, so no
 * request waited that long on our work. A restart with unchanged data then loads the trained intent
 * model and the FAQ index from the cache instead of rebuilding them.
 *
 * The service runs as a child process (its own event loop, as in production). "Blocked" is the
 * monitor's stall time minus the time the thread only waited for a CPU, so a busy test machine does
 * not fail the test while a synchronous rebuild does.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { hasExited, whenExited } from '../support/child-exit';
import { ROOT, MODEL_DIR, ensureModel } from '../nlu/model-fixture';
import { freePort, startProcess } from '../support/service-process';
import { describeLoop, HealthPoller, loopReport, waitUntil } from '../support/loop-probe';
import { AppClient } from '../support/service';

jest.setTimeout(40 * 60_000);

const TOKEN = 'event-loop-test-admin-token';
const LIMIT_MS = 200;
/** The delay histogram's resolution plus the monitor's tick: how far the two clocks of one stall may differ. */
const HISTOGRAM_SLACK_MS = 30;
const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

interface Ready {
  status: number;
  nlu?: {
    mode: string;
    loading: boolean;
    modelSource?: string;
    examples: number;
    tuning?: { examples: number };
  };
  knowledge?: { embedder: string; entries: number; indexSource?: string };
}

/**
 * An admin write that answers once the hot reload is in use (minutes of retraining on a loaded
 * machine). Not fetch: its client gives up on response headers after 300 s (HeadersTimeoutError),
 * which a retraining under load exceeded; the service's own request limits still apply.
 */
function adminWrite(url: string, method: 'POST' | 'PUT', body: unknown): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: admin }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function readiness(url: string): Promise<Ready> {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { checks: Omit<Ready, 'status'> };
  return { status: res.status, ...body.checks };
}

/** Ready with the transformer intent model and an FAQ index built on the transformer. */
const fullyReady = (r: Ready) =>
  r.status === 200 &&
  r.nlu?.mode === 'transformer' &&
  !r.nlu.loading &&
  r.knowledge?.embedder === 'multilingual-e5-small' &&
  r.knowledge.entries > 0;

describe('event loop during start-up and hot reload (service process, transformer)', () => {
  let dir: string;
  let env: Record<string, string>;
  let child: ChildProcess | undefined;
  let url: string;
  let poller: HealthPoller | undefined;
  let stderr = '';

  const start = async () => {
    env.PORT = String(await freePort());
    url = `http://127.0.0.1:${env.PORT}`;
    stderr = '';
    child = startProcess(env);
    child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
    poller = new HealthPoller(url);
  };

  const stop = async () => {
    await poller?.stop();
    if (child && !hasExited(child)) {
      const running = child;
      const exited = whenExited(running);
      running.kill('SIGTERM');
      // A service whose loop is blocked (the failure this test looks for) cannot shut down gracefully.
      const kill = setTimeout(() => running.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    }
    child = undefined;
  };

  /** Fails with the worst stalls when the loop was blocked over the limit; starts a new window. */
  const expectResponsive = async (phase: string, reset = true) => {
    const report = await loopReport(url, reset);
    const poll = reset ? poller!.take() : undefined;
    const account = `${phase}: ${describeLoop(report, poll)}`;
    if (process.env.LOOP_REPORT) process.stdout.write(`${account}\n`);
    if (report.longestBlockedMs > LIMIT_MS)
      throw new Error(`event loop blocked over ${LIMIT_MS} ms during ${account}`);
    // The perf_hooks delay histogram, measured independently: its maximum is either under the limit
    // or the same stall the monitor recorded (within its 10 ms resolution and tick), which was not
    // blocked by us that long (the rest was waiting for a CPU).
    if (report.delay.maxMs > LIMIT_MS) {
      const stall = report.longestStall;
      if (!stall || stall.wallMs < report.delay.maxMs - HISTOGRAM_SLACK_MS || stall.blockedMs > LIMIT_MS)
        throw new Error(`event-loop delay max ${report.delay.maxMs} ms not explained by CPU wait during ${account}`);
    }
    expect(poll?.failures ?? []).toEqual([]);
  };

  /** A new resident asks once; returns the bot's reply text. */
  const ask = async (text: string) => {
    const app = new AppClient(url);
    await app.start({ deviceId: `loop-${Math.random().toString(36).slice(2)}`, locale: 'ko-KR' });
    await app.say(text);
    return (await app.nextReply(60_000)).text ?? '';
  };

  const untilReady = (what: string) =>
    waitUntil(async () => fullyReady(await readiness(url)), {
      timeoutMs: 30 * 60_000,
      what,
      child,
      // Until the service listens there is nothing to read yet.
      check: async () => {
        if (
          await fetch(`${url}/healthz`).then(
            () => true,
            () => false,
          )
        )
          await expectResponsive(what, false);
      },
    });

  beforeAll(() => {
    ensureModel();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-loop-'));
    const intentsDir = path.join(dir, 'intents');
    fs.cpSync(path.join(ROOT, 'intents'), intentsDir, { recursive: true });
    // Only text embeddings are reused (a speed-up); trained models and FAQ indexes start empty.
    const embeddings = path.join(ROOT, '.cache', 'embeddings');
    if (fs.existsSync(embeddings))
      fs.cpSync(embeddings, path.join(dir, 'cache', 'embeddings'), { recursive: true });
    env = {
      HOST: '127.0.0.1',
      NLU_MODE: 'auto',
      MODEL_DIR,
      CACHE_DIR: path.join(dir, 'cache'),
      INTENTS_DIR: intentsDir,
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, trains the intent model and builds the FAQ index without blocking the loop', async () => {
    await start();
    await untilReady('start-up').catch((err: Error) => {
      throw new Error(`${err.message}\n${stderr}`);
    });
    expect((await readiness(url)).nlu?.modelSource).toBe('trained');
    await expectResponsive('start-up');
  });

  it('retrains after an intent edit without blocking the loop', async () => {
    const before = await readiness(url);
    const res = await adminWrite(`${url}/api/admin/v1/intents/water_supply/examples`, 'POST', {
      language: 'ko',
      text: '아파트 단지 전체에 수돗물이 끊겼는데 언제 나와요',
    });
    expect(res.status).toBe(201);
    // The edit answers once the retrained model is in use.
    const after = await readiness(url);
    expect(after.nlu?.examples).toBe(before.nlu!.examples + 1);
    expect(after.nlu?.tuning?.examples).toBe(before.nlu!.examples + 1);
    await expectResponsive('intent edit');
  });

  it('rebuilds the FAQ index after an FAQ edit without blocking the loop', async () => {
    const list = (await (await fetch(`${url}/api/admin/v1/faq`, { headers: admin })).json()) as {
      items: { entry: { id: string; questions: Record<string, string[]>; answer: Record<string, string> } }[];
    };
    // An entry a resident's question is answered from (some questions start a guided flow instead).
    let edited: (typeof list.items)[number]['entry'] | undefined;
    for (const { entry } of list.items
      .filter((i) => i.entry.questions.ko?.length && i.entry.answer.ko)
      .slice(0, 8)) {
      if ((await ask(entry.questions.ko![0]!)).includes(entry.answer.ko!.slice(0, 20))) {
        edited = entry;
        break;
      }
    }
    expect(edited).toBeDefined();
    const entry = edited!;
    const note = '(2025년 개정 안내 반영)';
    const res = await adminWrite(`${url}/api/admin/v1/faq/${entry.id}`, 'PUT', {
      ...entry,
      answer: { ...entry.answer, ko: `${entry.answer.ko} ${note}` },
    });
    expect(res.status).toBe(200);
    // The edit answers once the new index is in use: the next resident gets the new text.
    expect(await ask(entry.questions.ko![0]!)).toContain(note);
    await expectResponsive('FAQ edit');
  });

  it('restarts with unchanged data from the cache: the model and the index are loaded, not rebuilt', async () => {
    await stop();
    await start();
    await untilReady('restart');
    const ready = await readiness(url);
    expect(ready.nlu?.modelSource).toBe('cache');
    expect(ready.knowledge?.indexSource).toBe('cache');
    await expectResponsive('restart');
  });
});
