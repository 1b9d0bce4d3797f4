/**
 * A throwaway MongoDB-wire server for tests: embedded FerretDB v1.24.2 on SQLite
 * (scripts/test-db), one process + one temp data dir per startFerretDB() call.
 *
 *   let db: FerretDB;
 *   beforeAll(async () => { db = await startFerretDB(); }, FERRETDB_START_TIMEOUT_MS);
 *   afterAll(() => db?.stop());
 *
 * or simply `const db = useFerretDB();` at the top of a describe block, then `db().uri`.
 *
 * The first call in a process runs scripts/test-db/build.sh synchronously (a no-op
 * when .cache/bin/ferretdb-test is up to date; 1-3 min on a cold Go cache, hence the
 * long hook timeout). Set FERRETDB_TEST_BIN to use a prebuilt binary and skip the build.
 *
 * The server runs one command at a time (ferretdb-test -serialize), so single-document
 * writes are atomic as on MongoDB. It reports MongoDB 7.0.42 and enforces unique indexes.
 * FerretDB v1.24 gaps seen with mongoose 9 (see test/store/ferretdb-smoke.test.ts):
 *  - E11000 only from inserts/upsert-inserts; an update/replace/save that breaks a unique
 *    index fails with code 1 (InternalError). Unique indexes ignore missing fields (two docs
 *    without the field are fine) and array elements; `sparse` is accepted but dropped.
 *  - NotImplemented (238): partialFilterExpression, expireAfterSeconds (TTL), collation,
 *    arrayFilters, $lookup/$facet/$replaceRoot…, $group accumulators other than $sum/$count,
 *    $cond/$dateToString/$literal…, $expr, projection $slice. No text/hashed/2dsphere indexes,
 *    $text, $where, positional `$`/`$[]` updates, $elemMatch on sub-document fields,
 *    pipeline updates, transactions, change streams. Decimal128 drops the connection.
 *  - Silently wrong: `$project`/`$addFields`/`$set` stages treat '$field' as a literal string;
 *    in a $group only the first accumulator is computed (the others return 0).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { hasExited, whenExited } from './child-exit';

export interface FerretDB {
  /** mongodb://127.0.0.1:PORT/DBNAME, ready to pass to mongoose.createConnection(). */
  uri: string;
  host: string;
  port: number;
  /** The temp SQLite data directory (removed by stop()). */
  dataDir: string;
  /** SIGTERM, SIGKILL after a timeout, then remove the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartFerretDBOptions {
  /** Database name put in the URI path. Default 'dajeong-test'. */
  dbName?: string;
  /** How long to wait for READY + a successful `ping`, after the build. Default 20s. */
  startTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL in stop(). Default 5s. */
  stopTimeoutMs?: number;
  /** FerretDB log level on stderr (debug|info|warn|error). Default 'warn'. */
  logLevel?: string;
  /**
   * One command at a time (default true). Pass false for the stock, non-atomic FerretDB
   * behaviour: race tests then prove that unique-key arbitration alone decides the winner.
   */
  serialize?: boolean;
}

/**
 * Hook timeout covering a cold Go build (67 s on an idle 2-core box, 3 min under load) plus startup.
 * The build blocks the event loop, so it counts against the hook's timeout.
 */
export const FERRETDB_START_TIMEOUT_MS = 300_000;

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'test-db', 'build.sh');
const DEFAULT_BIN = path.join(ROOT, '.cache', 'bin', 'ferretdb-test');

let builtBin: string | undefined;

/** Servers not yet stopped; killed and cleaned up synchronously if the process exits first. */
const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [child, dir] of live) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Returns the server binary path, building it first (once per process) when needed.
 * Blocks the event loop while building; build output goes to this process's stderr.
 */
export function ensureFerretDBBinary(): string {
  if (builtBin) return builtBin;
  const override = process.env['FERRETDB_TEST_BIN'];
  if (override) {
    if (!existsSync(override)) throw new Error(`FERRETDB_TEST_BIN=${override} does not exist`);
    builtBin = override;
    return builtBin;
  }
  const res = spawnSync('bash', [BUILD_SCRIPT], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.error) throw new Error(`could not run ${BUILD_SCRIPT}: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(`${BUILD_SCRIPT} failed (exit ${res.status ?? res.signal}); see its output above`);
  }
  if (!existsSync(DEFAULT_BIN)) throw new Error(`${BUILD_SCRIPT} succeeded but ${DEFAULT_BIN} is missing`);
  builtBin = DEFAULT_BIN;
  return builtBin;
}

export async function startFerretDB(options: StartFerretDBOptions = {}): Promise<FerretDB> {
  const {
    dbName = 'dajeong-test',
    startTimeoutMs = 20_000,
    stopTimeoutMs = 5_000,
    logLevel = 'warn',
    serialize = true,
  } = options;
  const bin = ensureFerretDBBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dajeong-ferretdb-'));

  // Port 0: the server binds a free port itself and reports it, so no pick-then-bind race.
  // stdin stays a pipe: if this process dies without stop(), the server sees EOF and exits.
  const args = ['-listen', '127.0.0.1:0', '-dir', dataDir, '-log-level', logLevel, '-exit-on-stdin-eof', `-serialize=${serialize}`];
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  installExitHook();
  live.set(child, dataDir);

  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-8_000);
    if (process.env['FERRETDB_TEST_VERBOSE']) process.stderr.write(`[ferretdb] ${chunk}`);
  });

  const exited = whenExited(child);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!hasExited(child)) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), stopTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
      rmSync(dataDir, { recursive: true, force: true });
      live.delete(child);
    })();
    return stopped;
  };

  try {
    const addr = await waitForReadyLine(child, startTimeoutMs, () => stderrTail);
    const [host, portText] = splitHostPort(addr);
    const uri = `mongodb://${addr}/${dbName}`;
    await waitForPing(uri, startTimeoutMs, () => stderrTail);
    return { uri, host, port: Number(portText), dataDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Jest convenience: registers beforeAll/afterAll in the current scope and returns a getter.
 *   const db = useFerretDB();  ...  mongoose.createConnection(db().uri)
 */
export function useFerretDB(options?: StartFerretDBOptions): () => FerretDB {
  let server: FerretDB | undefined;
  beforeAll(async () => {
    server = await startFerretDB(options);
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('useFerretDB(): server not started (use it inside tests/hooks only)');
    return server;
  };
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) return reject(new Error('ferretdb-test: no stdout pipe'));
    const rl = createInterface({ input: stdout });
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`ferretdb-test ${why}${stderr() ? `\n--- stderr ---\n${stderr()}` : ''}`));
    };
    const onLine = (line: string) => {
      const m = /^READY (\S+)$/.exec(line.trim());
      if (m?.[1]) {
        cleanup();
        resolve(m[1]);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited before becoming ready (code ${code}, signal ${signal})`);
    const onError = (err: Error) => fail(`failed to spawn: ${err.message}`);
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs}ms`), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      rl.off('line', onLine);
      rl.close();
      child.off('exit', onExit);
      child.off('error', onError);
    }
    rl.on('line', onLine);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** READY means the listener accepts TCP; confirm the MongoDB handshake + a command work too. */
async function waitForPing(uri: string, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 2_000,
      connectTimeoutMS: 2_000,
      directConnection: true,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastErr = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  const msg = lastErr instanceof Error ? lastErr.message : String(lastErr);
  throw new Error(`ferretdb-test at ${uri} did not answer ping within ${timeoutMs}ms: ${msg}\n${stderr()}`);
}

function splitHostPort(addr: string): [string, string] {
  const i = addr.lastIndexOf(':');
  if (i <= 0) throw new Error(`ferretdb-test reported a bad address: ${addr}`);
  return [addr.slice(0, i), addr.slice(i + 1)];
}
