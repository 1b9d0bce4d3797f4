/** Messages between the encoder host (main thread) and embedding-worker (inference thread). */
import type { ModelLocation } from './model-location';

/** Settings fixed when the thread starts. */
export interface EmbeddingWorkerData {
  /** Intra-op threads per inference session; default: the CPUs the process sees. */
  threads?: number;
}

/** 'auto': onnxruntime directly for folders, the transformers.js pipeline for hub ids; 'pipeline': always the pipeline. */
export type EncoderEngine = 'auto' | 'pipeline';

export type HostRequest =
  /** Load a model under `key` (idempotent per key). */
  | { type: 'load'; key: string; location: ModelLocation; hubCacheDir: string; engine: EncoderEngine }
  /** Embed already-prefixed texts with model `key`, as one padded batch. */
  | { type: 'embed'; id: number; key: string; texts: string[] }
  /** Free model `key`. */
  | { type: 'unload'; key: string };

/** Worker -> main. `data` holds `texts.length * dimension` floats, row after row. */
export type WorkerReply =
  | { type: 'loaded'; key: string; dimension: number; loadMs: number }
  | { type: 'load-failed'; key: string; message: string }
  | { type: 'result'; id: number; data: Float32Array; dimension: number }
  | { type: 'error'; id: number; message: string };
