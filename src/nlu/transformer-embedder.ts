/**
 * The multilingual-e5-small encoder as an Embedder, run in the inference thread (EncoderHost) with
 * micro-batching: texts that arrive while a batch is being computed (a window of one forward pass,
 * a few milliseconds) go to the thread together in the next request, so a burst of webhooks costs
 * one round trip instead of one each, and the event loop stays free to answer them. The thread runs
 * one forward pass per text (embedding-worker.ts): with int8 weights a batched row depends on its
 * companions, and a message's understanding must not depend on who else wrote at the same time.
 */
import path from 'node:path';
import type { Embedder } from '../core/nlu-port';
import type { EncoderEngine } from './embedding-worker-protocol';
import { EncoderHost } from './encoder-host';
import { resolveModel, type ModelLocation } from './model-location';
import { withTimeout } from '../core/with-timeout';

export interface TransformerEmbedderOptions {
  /** Model folder (e.g. models/multilingual-e5-small) or a hub id (e.g. Xenova/multilingual-e5-small). */
  modelDir: string;
  /** int8 (default) or fp32 weights. */
  quantized?: boolean;
  /**
   * Extra wait for companions when the thread is idle, in ms (default 0). Batches form anyway from
   * everything that arrives while the previous batch runs (a window of one forward pass, a few
   * ms), which adds no latency to a lone message; a fixed window only adds latency at batch 1.
   */
  batchWindowMs?: number;
  /**
   * Most texts in one forward pass. Default 8: on 2 cores, 64 concurrent single messages ran at
   * 229 msg/s unbatched, 344 at 8, 314 at 16, 284 at 32 (bigger batches pad to longer messages).
   */
  maxBatch?: number;
  /** Where hub downloads are cached (default <cwd>/.cache/hub). */
  hubCacheDir?: string;
  /** Give up loading after this many ms (default 120 s). */
  loadTimeoutMs?: number;
  /** Inference path (default 'auto': onnxruntime directly for folders); 'pipeline' for comparisons. */
  engine?: EncoderEngine;
}

interface Pending {
  text: string;
  resolve: (vector: Float32Array) => void;
  reject: (err: Error) => void;
}

/** One bulk call's result, filled chunk by chunk. */
interface RowsTarget {
  out: Float32Array;
  chunksLeft: number;
  failed: boolean;
  resolve: (rows: Float32Array) => void;
  reject: (err: Error) => void;
}

/** Up to maxBatch texts of a bulk call, with the rows they fill in its result. */
interface BulkChunk {
  texts: string[];
  rows: number[];
  target: RowsTarget;
}

export interface EmbedderStats {
  batches: number;
  texts: number;
  largestBatch: number;
}

const PREFIX = { query: 'query: ', passage: 'passage: ' } as const;

export class TransformerEmbedder implements Embedder {
  readonly name: string;
  private readonly interactive: Pending[] = [];
  private readonly bulk: BulkChunk[] = [];
  private busy = false;
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  private closed = false;
  private readonly counters: EmbedderStats = { batches: 0, texts: 0, largestBatch: 0 };

  private constructor(
    private readonly host: EncoderHost,
    private readonly key: string,
    readonly location: ModelLocation,
    readonly dimension: number,
    readonly loadMs: number,
    private readonly windowMs: number,
    private readonly maxBatch: number,
  ) {
    this.name = location.name;
  }

  /**
   * Loads the model in the inference thread and waits until it is warm.
   * @throws ModelUnavailableError when the folder is incomplete; Error when the runtime cannot load it.
   */
  static async load(options: TransformerEmbedderOptions): Promise<TransformerEmbedder> {
    const location = resolveModel(options.modelDir, { quantized: options.quantized ?? true });
    const host = EncoderHost.shared();
    const timeoutMs = options.loadTimeoutMs ?? 120_000;
    const loading = host.load(
      location,
      options.hubCacheDir ?? path.join(process.cwd(), '.cache', 'hub'),
      options.engine ?? 'auto',
    );
    try {
      const ready = await withTimeout(loading, timeoutMs, () => new Error(`model did not load within ${timeoutMs} ms`));
      return new TransformerEmbedder(
        host,
        ready.key,
        location,
        ready.dimension,
        ready.loadMs,
        options.batchWindowMs ?? 0,
        options.maxBatch ?? 8,
      );
    } catch (err) {
      // A load that finishes after the timeout must not stay held.
      loading.then((late) => host.release(late.key)).catch(() => undefined);
      throw err;
    }
  }

  /** Embeds texts (L2-normalised, mean-pooled) with the e5 `query: ` or `passage: ` prefix. */
  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    if (this.closed) throw new Error('embedder is closed');
    if (texts.length === 0) return [];
    if (texts.length > this.maxBatch) {
      // Bulk work: rows of one array (views), not one buffer per text.
      const rows = await this.embedRows(texts, kind);
      return texts.map((_, i) => rows.subarray(i * this.dimension, (i + 1) * this.dimension));
    }
    const promises: Promise<Float32Array>[] = [];
    for (const t of texts) {
      const item = { text: PREFIX[kind] + t } as Pending;
      promises.push(new Promise<Float32Array>((resolve, reject) => Object.assign(item, { resolve, reject })));
      this.interactive.push(item);
    }
    this.schedule();
    return Promise.all(promises);
  }

  /**
   * Embeds many texts (training data, FAQ texts) into one array, row after row in the order given.
   * Chunks of texts of similar length go to the thread one after another; single messages still go
   * first. Each chunk's rows are copied into the result as they arrive, so the main heap sees a
   * few large buffers instead of thousands of small ones.
   */
  embedRows(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array> {
    if (this.closed) return Promise.reject(new Error('embedder is closed'));
    if (texts.length === 0) return Promise.resolve(new Float32Array(0));
    return new Promise<Float32Array>((resolve, reject) => {
      const target: RowsTarget = {
        out: new Float32Array(texts.length * this.dimension),
        chunksLeft: Math.ceil(texts.length / this.maxBatch),
        failed: false,
        resolve,
        reject,
      };
      // Length-sorted chunks pad little.
      const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
      for (let i = 0; i < order.length; i += this.maxBatch) {
        const rows = order.slice(i, i + this.maxBatch);
        this.bulk.push({ texts: rows.map((r) => PREFIX[kind] + texts[r]!), rows, target });
      }
      this.schedule();
    });
  }

  /** Counters for benchmarks and metrics. */
  stats(): EmbedderStats {
    return { ...this.counters };
  }

  /** Frees the model in the inference thread; pending and later calls are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    const err = new Error('embedder is closed');
    for (const item of this.interactive.splice(0)) item.reject(err);
    for (const chunk of this.bulk.splice(0)) failTarget(chunk.target, err);
    this.host.release(this.key);
  }

  private schedule(): void {
    if (this.busy || this.timer || this.immediate) return;
    if (this.interactive.length === 0 && this.bulk.length === 0) return;
    if (this.windowMs > 0 && this.interactive.length > 0 && this.interactive.length < this.maxBatch) {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
    } else {
      // setImmediate, not a 0 ms timer (which Node rounds up to 1 ms): a synchronous burst still
      // joins one batch, and a lone message does not wait.
      this.immediate = setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.busy || this.closed) return;
    const batch = this.nextBatch();
    if (!batch) return;
    this.busy = true;
    this.counters.batches += 1;
    this.counters.texts += batch.texts.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.texts.length);
    this.host
      .embed(this.key, batch.texts)
      .then(
        ({ data, dimension }) => batch.deliver(data, dimension),
        (err: Error) => batch.fail(err),
      )
      .finally(() => {
        this.busy = false;
        // Whatever queued up during the pass goes next, without waiting for a window.
        if (this.interactive.length > 0 || this.bulk.length > 0) this.flush();
      });
  }

  /** Residents' messages first, then the next chunk of a bulk call that has not failed. */
  private nextBatch():
    | { texts: string[]; deliver: (data: Float32Array, dimension: number) => void; fail: (err: Error) => void }
    | undefined {
    if (this.interactive.length > 0) {
      const items = this.interactive.splice(0, this.maxBatch);
      return {
        texts: items.map((i) => i.text),
        deliver: (data, dimension) =>
          items.forEach((item, i) => item.resolve(data.slice(i * dimension, (i + 1) * dimension))),
        fail: (err) => items.forEach((item) => item.reject(err)),
      };
    }
    let chunk = this.bulk.shift();
    while (chunk?.target.failed) chunk = this.bulk.shift();
    if (!chunk) return undefined;
    const { texts, rows, target } = chunk;
    return {
      texts,
      deliver: (data, dimension) => {
        if (target.failed) return;
        rows.forEach((row, i) =>
          target.out.set(data.subarray(i * dimension, (i + 1) * dimension), row * dimension),
        );
        if (--target.chunksLeft === 0) target.resolve(target.out);
      },
      fail: (err) => failTarget(target, err),
    };
  }
}

/** Rejects a bulk call once; its chunks still queued are skipped. */
function failTarget(target: RowsTarget, err: Error): void {
  if (target.failed) return;
  target.failed = true;
  target.reject(err);
}
