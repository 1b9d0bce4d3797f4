/**
 * Runs a GTFS import in a worker thread so the event loop keeps serving: parsing millions of
 * stop_times is tens of seconds of CPU. The finished index arrives as transferred buffers.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { GtfsImportError } from './gtfs-import-error';
import type { ImportWorkerReply } from './gtfs-import-protocol';
import type { TransitIndexData } from './transit-index';

/** Spawns the worker from compiled JS as is, and from TypeScript sources through tsx. */
function spawn(location: string): Worker {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `gtfs-import-worker${ext}`);
  if (ext === '.ts') {
    const tsx = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, { eval: true, workerData: { location } });
  }
  return new Worker(file, { workerData: { location } });
}

export interface ImportOptions {
  /** Called as each file starts (for logs). */
  onProgress?: (file: string) => void;
  /** Aborting terminates the worker (shutdown during an import). */
  signal?: AbortSignal;
}

/** Imports in a worker. @throws GtfsImportError (also when the worker dies or is aborted) */
export function importFeedInWorker(location: string, options: ImportOptions = {}): Promise<TransitIndexData> {
  return new Promise((resolve, reject) => {
    const worker = spawn(location);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = () => {
      settle(() => reject(new GtfsImportError({ file: path.basename(location), message: 'import aborted' })));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', abort);
    worker.on('message', (reply: ImportWorkerReply) => {
      if (reply.type === 'progress') options.onProgress?.(reply.file);
      else if (reply.type === 'done') settle(() => resolve(reply.data));
      else settle(() => reject(new GtfsImportError(reply.problem)));
    });
    worker.on('error', (err) => settle(() => reject(new GtfsImportError({ file: path.basename(location), message: `import worker failed: ${err.message}` }))));
    worker.on('exit', (code) =>
      settle(() => reject(new GtfsImportError({ file: path.basename(location), message: `import worker exited with code ${code}` }))),
    );
  });
}
