/**
 * Starts and stops the service (and the echo ceiling) as child processes for bench:gateway and the
 * fault scripts, on free loopback ports; reads a child's peak memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startProcess, waitReady } from '../test/support/service-process';

const ROOT = path.resolve(__dirname, '..');

/** One service instance running as a child process. */
export interface ServiceInstance {
  url: string;
  port: number;
  child: ChildProcess;
  env: Record<string, string>;
  /** Peak resident memory (VmHWM) so far, in MB; NaN once exited. */
  peakRssMb(): number;
  /** SIGTERM and wait for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

export function peakRssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

export function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts src/main.ts with `env` on a free port (or `port`), residents' addresses trusted from the
 * loopback proxy position, and waits for /readyz. With `transformer`, also waits until the
 * transformer classifier answers (not the lexical fallback) and the FAQ index uses the encoder.
 */
export async function startInstance(
  env: Record<string, string>,
  options: { port?: number; transformer?: boolean; timeoutMs?: number } = {},
): Promise<ServiceInstance> {
  const port = options.port ?? (await freePort());
  const fullEnv = { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRUST_PROXY: 'loopback', ...env };
  const child = startProcess(fullEnv);
  child.stderr?.on('data', () => undefined); // keep the pipe drained
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, options.timeoutMs ?? 300_000);
    if (options.transformer) await waitTransformer(url, child, options.timeoutMs ?? 600_000);
  } catch (err) {
    await stopChild(child, 2_000);
    throw err;
  }
  return { url, port, child, env: fullEnv, peakRssMb: () => peakRssMb(child.pid), stop: () => stopChild(child) };
}

/** Polls /readyz until the transformer and the encoder-built FAQ index are in use (a busy loop may drop a probe). */
async function waitTransformer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error('service exited while loading the transformer');
      const body = (await fetch(`${url}/readyz`).then((r) => r.json()).catch(() => ({}))) as {
        checks?: { nlu?: { mode?: string; loading?: boolean; reason?: string }; knowledge?: { degraded?: boolean } };
      };
      const nlu = body.checks?.nlu;
      // The FAQ index is embedded with the encoder after it loads: measuring before would time that build.
      if (nlu?.mode === 'transformer' && body.checks?.knowledge?.degraded === false) break;
      if (nlu && !nlu.loading && nlu.reason && nlu.reason !== 'loading the transformer model')
        throw new Error(`service runs without the transformer: ${nlu.reason}`);
      if (Date.now() > deadline) throw new Error('transformer not ready in time');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Starts the echo ceiling (bench/gateway-echo-server.ts) and returns its URL. */
export async function startEcho(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'gateway-echo-server.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`echo server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => stopChild(child) };
}
