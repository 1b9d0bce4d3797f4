/**
 * Worker-thread entry: imports the feed named in workerData and posts the index back with its
 * buffers transferred (no copy). The thread ends afterwards, taking the import's garbage with it.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { buildTransitIndex } from './gtfs-index-builder';
import { GtfsImportError } from './gtfs-import-error';
import type { ImportWorkerReply } from './gtfs-import-protocol';
import { transferablesOf } from './transit-index';

const { location } = workerData as { location: string };
const post = (reply: ImportWorkerReply, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(reply, transfer);

buildTransitIndex(location, (file) => post({ type: 'progress', file })).then(
  (data) => post({ type: 'done', data }, transferablesOf(data)),
  (err: unknown) =>
    post({
      type: 'failed',
      problem:
        err instanceof GtfsImportError
          ? err.problem
          : { file: path.basename(location), message: err instanceof Error ? err.message : String(err) },
    }),
);
