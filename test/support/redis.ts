/**
 * A throwaway Redis for tests: Debian's redis-server (scripts/test-redis/ensure.sh installs it) on a
 * free loopback port, with a temp dir and no persistence, one process per startRedis() call.
 *
 *   let redis: RedisServer;
 *   beforeAll(async () => { redis = await startRedis(); });
 *   afterAll(() => redis?.stop());
 *
 * or `const redis = useRedis();` in a describe block, then `redis().uri`.
 *
 * Fault tests: `halt()` shuts the server down (SHUTDOWN NOSAVE; clients see the connection drop) and
 * `restart()` starts a new one on the same port, so clients reconnect to the same address. The
 * server is started through a small shell guard that kills it when this process's pipe closes, so
 * a test process that dies without stop() leaves no server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { hasExited, whenExited } from './child-exit';

export interface RedisServer {
  /** redis://127.0.0.1:PORT, for ioredis. */
  uri: string;
  host: string;
  port: number;
  /** Shuts the server down without saving; the port and dir stay reserved for restart(). */
  halt(): Promise<void>;
  /** Starts the server again on the same port (after halt()); no-op while it runs. */
  restart(): Promise<void>;
  /** Stops for good and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** How long to wait for "Ready to accept connections" and a PONG. Default 10 s. */
  startTimeoutMs?: number;
}

/** Enough for a cold start on a busy 2-core machine. */
export const REDIS_START_TIMEOUT_MS = 30_000;

const HOST = '127.0.0.1';

// The guard: runs redis-server, and kills it once our stdin closes (this process is gone).
// (fd 3: a background job's stdin would otherwise be /dev/null, which reads as closed at once.)
const GUARD = 'exec 3<&0; redis-server "$@" </dev/null & pid=$!; { cat <&3 >/dev/null; kill -KILL $pid 2>/dev/null; } & wait $pid';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) killGroup(child);
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function redisBinary(): string {
  const bin = process.env['REDIS_SERVER_BIN'];
  if (bin) {
    if (!existsSync(bin)) throw new Error(`REDIS_SERVER_BIN=${bin} does not exist`);
    return path.dirname(bin);
  }
  return '';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends one inline command and resolves with the first reply line (e.g. "+PONG"). */
export function redisCommand(port: number, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${command}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    let data = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (!data) reject(new Error(`redis ${command}: connection closed`));
    });
  });
}

function spawnServer(port: number, dir: string, timeoutMs: number): Promise<ChildProcess> {
  const args = [
    '--port', String(port), '--bind', HOST, '--dir', dir,
    // No persistence: a test server starts empty and leaves nothing behind.
    '--save', '', '--appendonly', 'no',
    '--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'notice',
  ];
  const binDir = redisBinary();
  const env = binDir ? { ...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}` } : process.env;
  const child = spawn('bash', ['-c', GUARD, 'redis-guard', ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
  installExitHook();
  live.add(child);
  child.once('exit', () => live.delete(child));
  let tail = '';
  const remember = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  child.stderr?.on('data', remember);
  return new Promise<ChildProcess>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const finish = (err?: Error) => {
      clearTimeout(timer);
      rl.close();
      child.off('exit', onExit);
      if (err) {
        killGroup(child);
        reject(err);
      } else resolve(child);
    };
    const onExit = (code: number | null) => finish(new Error(`redis-server exited before ready (code ${code})\n${tail}`));
    const timer = setTimeout(() => finish(new Error(`redis-server not ready after ${timeoutMs} ms\n${tail}`)), timeoutMs);
    rl.on('line', (line) => {
      tail = (tail + line + '\n').slice(-4_000);
      if (line.includes('Ready to accept connections')) {
        redisCommand(port, 'PING').then(
          (reply) => finish(reply === '+PONG' ? undefined : new Error(`redis-server answered ${reply}`)),
          (err: Error) => finish(err),
        );
      }
    });
    // After readiness, keep draining the log so the pipe never fills.
    child.stdout?.on('data', () => undefined);
    child.once('exit', onExit);
    if (hasExited(child)) onExit(child.exitCode);
  });
}

export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'dajeong-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // A port found free may be taken before redis binds it: try a few.
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await spawnServer(port, dir, timeoutMs);
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('Address already in use')) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }


  const halt = async () => {
    const c = child;
    if (!c) return;
    child = undefined;
    // SHUTDOWN closes the connection instead of answering; an error here is expected.
    await redisCommand(port, 'SHUTDOWN NOSAVE').catch(() => undefined);
    const exited = whenExited(c);
    const timer = setTimeout(() => killGroup(c), 5_000);
    await exited;
    clearTimeout(timer);
    c.stdin?.destroy();
  };

  let stopped: Promise<void> | undefined;
  return {
    uri: `redis://${HOST}:${port}`,
    host: HOST,
    port,
    halt,
    async restart() {
      if (child || stopped) return;
      child = await spawnServer(port, dir, timeoutMs);
    },
    stop() {
      stopped ??= halt().finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

/** Jest convenience: starts in beforeAll, stops in afterAll, returns a getter. */
export function useRedis(options?: StartRedisOptions): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
  }, REDIS_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useRedis(): server not started (use it inside tests/hooks only)');
    return server;
  };
}
