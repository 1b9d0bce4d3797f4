/**
 * The worker side of a JobThread: runs each request with `handle` and posts the outcome back, with
 * its typed arrays transferred (not copied) when the handler lists their buffers.
 */
import { parentPort } from 'node:worker_threads';
import type { JobMessage, JobReply } from './job-protocol';

export interface JobContext {
  /** Reports progress to the caller's onProgress (long trainings). */
  progress(message: string): void;
}

export interface JobOutcome<Result> {
  result: Result;
  /** Buffers inside `result` to move to the main thread instead of copying. */
  transfer?: ArrayBuffer[];
}

/** Serves jobs on this worker's parent port; call once from a worker entry module. */
export function serveJobs<Request, Result>(
  handle: (request: Request, context: JobContext) => Promise<JobOutcome<Result>>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs must run in a worker thread');
  // A buffer listed twice would make postMessage throw.
  const post = (reply: JobReply<Result>, transfer: ArrayBuffer[] = []) =>
    port.postMessage(reply, [...new Set(transfer)]);
  port.on('message', ({ id, request }: JobMessage<Request>) => {
    const context: JobContext = { progress: (message) => post({ id, type: 'progress', message }) };
    const fail = (err: unknown) =>
      post({ id, type: 'failed', message: err instanceof Error ? err.message : String(err) });
    handle(request, context).then(({ result, transfer }) => {
      try {
        post({ id, type: 'done', result }, transfer);
      } catch {
        // A listed buffer that cannot move (e.g. Node's shared Buffer pool): copy everything instead,
        // and if even that fails, the caller gets the error rather than waiting for ever.
        try {
          post({ id, type: 'done', result });
        } catch (err) {
          fail(err);
        }
      }
    }, fail);
  });
}
