/**
 * One worker thread for one kind of CPU-heavy job (training, index building), so the event loop
 * that answers residents never runs them. Jobs run one at a time in arrival order; at most
 * `maxQueued` wait (callers coalesce their own repeats); the thread is spawned on the first job,
 * keeps the process alive only while a job runs, is replaced if it dies, and is terminated by
 * close() (shutdown), which cancels the running job.
 */
import type { Worker } from 'node:worker_threads';
import type { JobMessage, JobReply } from './job-protocol';
import { spawnWorker } from './spawn-worker';

/** A job that was cancelled (close(), or its AbortSignal) before it finished. */
export class JobCancelledError extends Error {
  readonly code = 'job_cancelled';
}

export interface JobRunOptions {
  /** Buffers in the request to move to the thread instead of copying (the caller loses them). */
  transfer?: ArrayBuffer[];
  onProgress?: (message: string) => void;
  /** Aborting cancels the job: dropped if waiting, the thread terminated if running. */
  signal?: AbortSignal;
}

interface Job<Request, Result> {
  id: number;
  request: Request;
  options: JobRunOptions;
  resolve: (result: Result) => void;
  reject: (err: Error) => void;
}

export class JobThread<Request, Result> {
  private worker?: Worker;
  private current?: Job<Request, Result>;
  private readonly waiting: Job<Request, Result>[] = [];
  private nextId = 1;
  private closed = false;
  /** Set while the thread is being terminated on purpose, so its exit cancels instead of failing. */
  private terminating?: Error;

  /**
   * @param file worker module (see workerFile) that calls serveJobs
   * @param name for error messages
   */
  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly maxQueued = 4,
  ) {}

  /**
   * Runs one job in the thread.
   * @throws JobCancelledError when closed or aborted; Error when the job fails, the thread dies or too many wait
   */
  run(request: Request, options: JobRunOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new JobCancelledError(`${this.name}: closed`));
    if (options.signal?.aborted) return Promise.reject(new JobCancelledError(`${this.name}: aborted`));
    if (this.waiting.length >= this.maxQueued)
      return Promise.reject(new Error(`${this.name}: ${this.waiting.length} jobs already waiting`));
    return new Promise<Result>((resolve, reject) => {
      const job: Job<Request, Result> = { id: this.nextId++, request, options, resolve, reject };
      options.signal?.addEventListener('abort', () => this.abort(job), { once: true });
      this.waiting.push(job);
      this.next();
    });
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.current !== undefined || this.waiting.length > 0;
  }

  /** Terminates the thread: the running job and every waiting one are cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    const cancelled = new JobCancelledError(`${this.name}: closed`);
    for (const job of this.waiting.splice(0)) job.reject(cancelled);
    await this.terminate(cancelled);
  }

  private thread(): Worker {
    if (!this.worker) {
      const worker = spawnWorker(this.file);
      worker.on('message', (reply: JobReply<Result>) => this.onReply(reply));
      worker.on('error', (err) => this.onExit(worker, err));
      worker.on('exit', (code) =>
        this.onExit(worker, new Error(`${this.name}: thread exited with code ${code}`)),
      );
      this.worker = worker;
    }
    return this.worker;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.waiting.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    this.current = job;
    const worker = this.thread();
    worker.ref();
    const message: JobMessage<Request> = { id: job.id, request: job.request };
    try {
      worker.postMessage(message, job.options.transfer ?? []);
    } catch (err) {
      this.current = undefined;
      job.reject(err instanceof Error ? err : new Error(String(err)));
      this.next();
    }
  }

  private onReply(reply: JobReply<Result>): void {
    const job = this.current;
    if (!job || job.id !== reply.id) return;
    if (reply.type === 'progress') {
      job.options.onProgress?.(reply.message);
      return;
    }
    this.current = undefined;
    if (reply.type === 'done') job.resolve(reply.result);
    else job.reject(new Error(`${this.name}: ${reply.message}`));
    this.next();
  }

  /** The thread died or was terminated: its job ends, and the next job gets a new thread. */
  private onExit(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const job = this.current;
    this.current = undefined;
    job?.reject(this.terminating ?? err);
    this.next();
  }

  private abort(job: Job<Request, Result>): void {
    const index = this.waiting.indexOf(job);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      job.reject(new JobCancelledError(`${this.name}: aborted`));
    } else if (this.current === job) {
      void this.terminate(new JobCancelledError(`${this.name}: aborted`));
    }
  }

  private async terminate(reason: Error): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.terminating = reason;
    try {
      await worker.terminate();
    } finally {
      this.onExit(worker, reason);
      this.terminating = undefined;
    }
  }
}
