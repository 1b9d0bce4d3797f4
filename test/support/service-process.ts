/** The service as a real child process (tests of crashes, signals and what a process survives). */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describeExit, hasExited } from './child-exit';

const root = path.join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts src/main.ts in one node process (no tsx wrapper, so signals reach the service itself). */
export function startProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/**
 * Waits until /readyz answers 200; throws with the child's stderr and the last /readyz answer (which
 * check was failing) if it exits or times out. Each probe is bounded, so a server that accepts the
 * connection and never answers cannot hold the wait past its deadline.
 */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stderr = '';
  let lastAnswer = 'none';
  child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-8000)));
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`service exited early (${describeExit(child)}): ${stderr}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, deadline - Date.now()))) });
      if (res.status === 200) return;
      lastAnswer = `${res.status} ${(await res.text()).slice(0, 2000)}`;
    } catch (err) {
      lastAnswer = `no answer (${(err as Error).name})`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service not ready in ${timeoutMs} ms; last /readyz: ${lastAnswer}; stderr: ${stderr}`);
}
