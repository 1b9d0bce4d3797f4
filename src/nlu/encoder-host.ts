/**
 * The one inference thread of the process. onnxruntime-node (inside transformers.js 2.17) cannot
 * be loaded again in a process once a thread that loaded it has ended ("Module did not
 * self-register"), and loading it in two threads corrupts its heap; so the thread is started once,
 * lazily, and never terminated. Models are loaded and freed in it by key, and the thread only keeps
 * the process alive while work is in flight: an idle host lets a CLI or a test process exit.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker, workerFile } from '../jobs/spawn-worker';
import type { EmbeddingWorkerData, EncoderEngine, HostRequest, WorkerReply } from './embedding-worker-protocol';
import type { ModelLocation } from './model-location';

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

export class EncoderHost {
  /** Intra-op threads of inference sessions (NLU_THREADS); read when the thread starts. */
  static threads?: number;
  private static instance?: EncoderHost;
  private worker?: Worker;
  private failure?: Error;
  private inFlight = 0;
  private nextId = 1;
  private readonly loads = new Map<string, Waiter<{ dimension: number; loadMs: number }>[]>();
  private readonly embeds = new Map<number, Waiter<{ data: Float32Array; dimension: number }>>();
  private readonly holders = new Map<string, number>();

  /** The process-wide host. */
  static shared(): EncoderHost {
    EncoderHost.instance ??= new EncoderHost();
    return EncoderHost.instance;
  }

  /** Key under which a location's model lives in the thread. */
  static keyOf(location: ModelLocation, engine: EncoderEngine = 'auto'): string {
    return `${engine}:${location.kind}:${location.localModelPath ?? ''}:${location.modelId}:${location.quantized}:${location.fingerprint}`;
  }

  private thread(): Worker {
    if (this.failure) throw this.failure;
    if (!this.worker) {
      const workerData: EmbeddingWorkerData = { threads: EncoderHost.threads };
      const worker = spawnWorker(workerFile(__dirname, 'embedding-worker'), workerData);
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) =>
        this.fail(
          new Error(`inference thread exited with code ${code}; restart the process to use the model again`),
        ),
      );
      this.worker = worker;
    }
    return this.worker;
  }

  private begin(): void {
    if (this.inFlight++ === 0) this.worker?.ref();
  }

  private end(): void {
    if (--this.inFlight === 0) this.worker?.unref();
  }

  private post(request: HostRequest): void {
    this.thread().postMessage(request);
  }

  /**
   * Loads (or shares) the model of `location` in the thread and waits until it is warm.
   * @throws Error when the runtime cannot load it or the thread has failed
   */
  async load(
    location: ModelLocation,
    hubCacheDir: string,
    engine: EncoderEngine = 'auto',
  ): Promise<{ key: string; dimension: number; loadMs: number }> {
    const key = EncoderHost.keyOf(location, engine);
    this.thread();
    this.begin();
    try {
      const ready = await new Promise<{ dimension: number; loadMs: number }>((resolve, reject) => {
        const waiting = this.loads.get(key) ?? [];
        waiting.push({ resolve, reject });
        this.loads.set(key, waiting);
        this.post({ type: 'load', key, location, hubCacheDir, engine });
      });
      this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
      return { key, ...ready };
    } finally {
      this.end();
    }
  }

  /** Embeds already-prefixed texts with a loaded model as one batch. */
  async embed(key: string, texts: string[]): Promise<{ data: Float32Array; dimension: number }> {
    this.thread();
    this.begin();
    try {
      return await new Promise((resolve, reject) => {
        const id = this.nextId++;
        this.embeds.set(id, { resolve, reject });
        this.post({ type: 'embed', id, key, texts });
      });
    } finally {
      this.end();
    }
  }

  /** Gives up one hold on a model; the last one frees it in the thread. */
  release(key: string): void {
    const left = (this.holders.get(key) ?? 1) - 1;
    if (left > 0) {
      this.holders.set(key, left);
      return;
    }
    this.holders.delete(key);
    if (this.worker && !this.failure) this.post({ type: 'unload', key });
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'loaded' || reply.type === 'load-failed') {
      const waiting = this.loads.get(reply.key) ?? [];
      this.loads.delete(reply.key);
      for (const w of waiting) {
        if (reply.type === 'loaded') w.resolve({ dimension: reply.dimension, loadMs: reply.loadMs });
        else w.reject(new Error(`model failed to load: ${reply.message}`));
      }
      return;
    }
    const waiter = this.embeds.get(reply.id);
    this.embeds.delete(reply.id);
    if (!waiter) return;
    if (reply.type === 'result') waiter.resolve({ data: reply.data, dimension: reply.dimension });
    else waiter.reject(new Error(`embedding failed: ${reply.message}`));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiting of this.loads.values()) for (const w of waiting) w.reject(this.failure);
    for (const w of this.embeds.values()) w.reject(this.failure);
    this.loads.clear();
    this.embeds.clear();
  }
}
