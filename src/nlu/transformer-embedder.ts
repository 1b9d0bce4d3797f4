/**
 * The multilingual-e5-small encoder as an Embedder, run in a worker thread with micro-batching:
 * texts that arrive while a batch is being computed (or within a few milliseconds of each other)
 * are embedded together, so a burst of webhooks costs one forward pass instead of many, and the
 * event loop stays free to answer them.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Embedder } from '../core/nlu-port';
import type { EmbedRequest, EmbeddingWorkerData, WorkerReply } from './embedding-worker-protocol';
import { resolveModel, type ModelLocation } from './model-location';

export interface TransformerEmbedderOptions {
  /** Model folder (e.g. models/multilingual-e5-small) or a hub id (e.g. Xenova/multilingual-e5-small). */
  modelDir: string;
  /** int8 (default) or fp32 weights. */
  quantized?: boolean;
  /** Longest wait for companions before a batch starts, in ms (default 2). */
  batchWindowMs?: number;
  /** Most texts in one forward pass (default 32). */
  maxBatch?: number;
  /** Where hub downloads are cached (default <cwd>/.cache/hub). */
  hubCacheDir?: string;
  /** Give up loading after this many ms (default 120 s). */
  loadTimeoutMs?: number;
}

interface Pending {
  text: string;
  resolve: (vector: Float32Array) => void;
  reject: (err: Error) => void;
}

export interface EmbedderStats {
  batches: number;
  texts: number;
  largestBatch: number;
}

const PREFIX = { query: 'query: ', passage: 'passage: ' } as const;

/** Spawns the worker from compiled JS as is, and from TypeScript sources through tsx. */
function spawnWorker(data: EmbeddingWorkerData): Worker {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `embedding-worker${ext}`);
  if (ext === '.ts') {
    const tsx = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`, { eval: true, workerData: data });
  }
  return new Worker(file, { workerData: data });
}

export class TransformerEmbedder implements Embedder {
  readonly name: string;
  private readonly interactive: Pending[] = [];
  private readonly bulk: Pending[][] = [];
  private inFlight?: { id: number; items: Pending[] };
  private timer?: NodeJS.Timeout;
  private nextId = 1;
  private lastIdleAt = 0;
  private failure?: Error;
  private closed = false;
  private readonly counters: EmbedderStats = { batches: 0, texts: 0, largestBatch: 0 };

  private constructor(
    private readonly worker: Worker,
    readonly location: ModelLocation,
    readonly dimension: number,
    readonly loadMs: number,
    private readonly windowMs: number,
    private readonly maxBatch: number,
  ) {
    this.name = location.name;
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`embedding worker exited with code ${code}`));
    });
  }

  /**
   * Starts the worker and waits until the model is loaded and warm.
   * @throws ModelUnavailableError when the folder is incomplete; Error when the runtime cannot load it.
   */
  static async load(options: TransformerEmbedderOptions): Promise<TransformerEmbedder> {
    const location = resolveModel(options.modelDir, { quantized: options.quantized ?? true });
    const worker = spawnWorker({ location, hubCacheDir: options.hubCacheDir ?? path.join(process.cwd(), '.cache', 'hub') });
    const timeoutMs = options.loadTimeoutMs ?? 120_000;
    try {
      const ready = await new Promise<{ dimension: number; loadMs: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`model did not load within ${timeoutMs} ms`)), timeoutMs);
        const settle = (fn: () => void) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          fn();
        };
        const onMessage = (reply: WorkerReply) => {
          if (reply.type === 'ready') settle(() => resolve(reply));
          else if (reply.type === 'failed') settle(() => reject(new Error(`model failed to load: ${reply.message}`)));
        };
        const onError = (err: Error) => settle(() => reject(err));
        const onExit = (code: number) => settle(() => reject(new Error(`embedding worker exited with code ${code} while loading`)));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
      });
      return new TransformerEmbedder(worker, location, ready.dimension, ready.loadMs, options.batchWindowMs ?? 2, options.maxBatch ?? 32);
    } catch (err) {
      await worker.terminate();
      throw err;
    }
  }

  /** Embeds texts (L2-normalised, mean-pooled) with the e5 `query: ` or `passage: ` prefix. */
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('embedder is closed'));
    if (texts.length === 0) return Promise.resolve([]);
    const promises: Promise<Float32Array>[] = [];
    const items = texts.map((t) => {
      const item = { text: PREFIX[kind] + t } as Pending;
      promises.push(new Promise<Float32Array>((resolve, reject) => Object.assign(item, { resolve, reject })));
      return item;
    });
    if (items.length <= this.maxBatch) {
      this.interactive.push(...items);
    } else {
      // Bulk work (training data): length-sorted chunks pad little; single messages still go first.
      const sorted = [...items].sort((a, b) => a.text.length - b.text.length);
      for (let i = 0; i < sorted.length; i += this.maxBatch) this.bulk.push(sorted.slice(i, i + this.maxBatch));
    }
    this.schedule();
    return Promise.all(promises);
  }

  /** Counters for benchmarks and metrics. */
  stats(): EmbedderStats {
    return { ...this.counters };
  }

  /** Stops the worker; pending and later calls are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.rejectAll(new Error('embedder is closed'));
    await this.worker.terminate();
  }

  private schedule(): void {
    if (this.inFlight || this.timer) return;
    if (this.interactive.length === 0 && this.bulk.length === 0) return;
    const quiet = performance.now() - this.lastIdleAt > this.windowMs;
    if (this.interactive.length >= this.maxBatch || this.interactive.length === 0 || quiet) {
      // A lone message on a quiet system gains nothing by waiting; setImmediate still lets
      // a synchronous burst (e.g. Promise.all over many messages) join the same batch.
      this.timer = setTimeout(() => this.flush(), 0);
    } else {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.inFlight || this.closed) return;
    const items = this.interactive.length > 0 ? this.interactive.splice(0, this.maxBatch) : this.bulk.shift();
    if (!items || items.length === 0) return;
    const id = this.nextId++;
    this.inFlight = { id, items };
    this.counters.batches += 1;
    this.counters.texts += items.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, items.length);
    const request: EmbedRequest = { type: 'embed', id, texts: items.map((i) => i.text) };
    this.worker.postMessage(request);
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type !== 'result' && reply.type !== 'error') return;
    const batch = this.inFlight;
    if (!batch || batch.id !== reply.id) return;
    this.inFlight = undefined;
    this.lastIdleAt = performance.now();
    if (reply.type === 'error') {
      for (const item of batch.items) item.reject(new Error(`embedding failed: ${reply.message}`));
    } else {
      const dim = reply.dimension;
      batch.items.forEach((item, i) => item.resolve(reply.data.slice(i * dim, (i + 1) * dim)));
    }
    // Whatever queued up during the pass goes next, without waiting for a window.
    if (this.interactive.length > 0 || this.bulk.length > 0) this.flush();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.rejectAll(err);
  }

  private rejectAll(err: Error): void {
    const batches = [this.inFlight?.items ?? [], this.interactive.splice(0), ...this.bulk.splice(0)];
    this.inFlight = undefined;
    for (const items of batches) for (const item of items) item.reject(err);
  }
}

/** Intra-op threads onnxruntime will use; reported by benchmarks. */
export function inferenceThreads(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}
