/** Messages between TransformerEmbedder (main thread) and embedding-worker (inference thread). */
import type { ModelLocation } from './model-location';

export interface EmbeddingWorkerData {
  location: ModelLocation;
  /** Where transformers.js caches hub downloads. */
  hubCacheDir: string;
}

/** Main -> worker: embed already-prefixed texts as one padded batch. */
export interface EmbedRequest {
  type: 'embed';
  id: number;
  texts: string[];
}

/** Worker -> main. `data` holds `texts.length * dimension` floats, row after row. */
export type WorkerReply =
  | { type: 'ready'; dimension: number; loadMs: number }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; data: Float32Array; dimension: number }
  | { type: 'error'; id: number; message: string };
