/**
 * One bad WebSocket frame must cost only its own connection: an oversized frame and a text frame
 * with invalid UTF-8, sent before any authentication to the app stream, and by a signed-in user to
 * the console stream. The service runs as a real process: before the fix the first frame made it
 * exit, taking every channel and the console down.
 */
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { installProcessGuard } from '../../src/process-guard';
import { createStaff } from '../console/console-client';
import { hasExited } from '../support/child-exit';
import { AppClient, silentLogger } from '../support/service';
import { freePort, startProcess, waitReady } from '../support/service-process';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]);

async function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

/** Resolves with the close code the connection ended with. */
function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('error', () => undefined);
    ws.once('close', (code) => resolve(code));
  });
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('hostile WebSocket frames against a running service', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = startProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      NLU_MODE: 'lexical',
      LOG_LEVEL: 'silent',
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
    });
    await waitReady(url, child);
  }, 300_000);
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  const appStream = () => `${url.replace('http', 'ws')}/api/app/v1/stream`;

  it.each([
    ['an oversized frame', () => 'x'.repeat(64 * 1024), 1009],
    ['invalid UTF-8 in a text frame', () => invalidUtf8, 1007],
  ])('app stream: %s closes that connection only', async (_name, payload, code) => {
    const bystander = new AppClient(url);
    await bystander.start();
    const watcher = await open(appStream());
    const frames: string[] = [];
    watcher.on('message', (d) => frames.push(String(d)));
    watcher.send(JSON.stringify({ type: 'auth', token: bystander.token }));
    await until(() => frames.some((f) => f.includes('"ready"')));

    const attacker = await open(appStream());
    const attackerClosed = closed(attacker);
    attacker.send(payload(), { binary: false });
    expect(await attackerClosed).toBe(code);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(hasExited(child)).toBe(false);
    // The other resident's stream still works end to end.
    await bystander.say('안녕하세요');
    await until(() => frames.some((f) => f.includes('"author":"bot"')));
    watcher.close();
  });

  it('console stream: oversized and invalid frames from a signed-in user close that connection only', async () => {
    const staff = await createStaff(url, ADMIN, [{ login: 'kim', role: 'counselor' }]);
    const consoleStream = `${url.replace('http', 'ws')}/api/console/v1/stream`;
    const headers = { origin: url, cookie: staff.kim!.cookie };
    for (const [payload, code] of [['y'.repeat(64 * 1024), 1009], [invalidUtf8, 1007]] as const) {
      const ws = await open(consoleStream, headers);
      const wsClosed = closed(ws);
      ws.send(payload, { binary: false });
      expect(await wsClosed).toBe(code);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(hasExited(child)).toBe(false);
  });
});

describe('process guard', () => {
  it('logs an uncaught error and an unhandled rejection instead of exiting', () => {
    const logged: string[] = [];
    const logger = { ...silentLogger(), error: (_o: unknown, msg?: string) => void logged.push(String(msg)) };
    const counts = installProcessGuard(logger);
    const before = { ...counts };
    const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;
    emit('uncaughtException', new Error('boom'), 'uncaughtException');
    emit('unhandledRejection', new Error('later'), Promise.resolve());
    expect(counts.uncaught).toBe(before.uncaught + 1);
    expect(counts.unhandled).toBe(before.unhandled + 1);
    expect(logged.some((m) => m.includes('keeps serving'))).toBe(true);
  });
});
