/** Starting worker threads from modules of this code base, compiled or not. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** The file of worker module `name` in `dir`, with this build's extension (.js compiled, .ts from sources). */
export function workerFile(dir: string, name: string): string {
  return path.join(dir, `${name}${path.extname(__filename)}`);
}

/**
 * Spawns a worker from compiled JS as is, and from TypeScript sources through tsx.
 * @param workerData handed to the worker (structured clone)
 */
export function spawnWorker(file: string, workerData?: unknown): Worker {
  if (path.extname(file) === '.ts') {
    const tsx = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, { eval: true, workerData });
  }
  return new Worker(file, { workerData });
}
