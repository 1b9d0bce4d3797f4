/**
 * Inference thread: loads encoders through transformers.js (onnxruntime-node) and embeds the
 * batches the encoder host sends, so tokenisation and the forward pass never block the event loop
 * that answers webhooks. Started only by encoder-host.ts, once per process.
 */
import { parentPort } from 'node:worker_threads';
import type { HostRequest, WorkerReply } from './embedding-worker-protocol';
import type { ModelLocation } from './model-location';

interface Extractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<{ data: Float32Array; dims: number[] }>;
  dispose?: () => Promise<unknown>;
}

const port = parentPort;
if (!port) throw new Error('embedding-worker must run in a worker thread');
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const models = new Map<string, Promise<Extractor>>();

async function load(location: ModelLocation, hubCacheDir: string): Promise<Extractor> {
  // transformers.js is ESM-only; module node16 keeps this a real dynamic import.
  const { pipeline, env } = await import('@xenova/transformers');
  env.cacheDir = hubCacheDir;
  if (location.kind === 'folder') {
    env.localModelPath = location.localModelPath ?? '';
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    // A hub id: never pick up a same-named local folder by accident.
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
  }
  return (await pipeline('feature-extraction', location.modelId, { quantized: location.quantized })) as unknown as Extractor;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

port.on('message', (request: HostRequest) => {
  if (request.type === 'load') {
    const started = performance.now();
    let model = models.get(request.key);
    if (!model) {
      model = load(request.location, request.hubCacheDir);
      models.set(request.key, model);
    }
    model
      // One warm-up pass: the first run allocates arenas and would skew the first resident's latency.
      .then((extractor) => extractor(['query: 안녕하세요'], { pooling: 'mean', normalize: true }))
      .then(
        (probe) => send({ type: 'loaded', key: request.key, dimension: probe.dims.at(-1) ?? 0, loadMs: Math.round(performance.now() - started) }),
        (err: unknown) => {
          models.delete(request.key);
          send({ type: 'load-failed', key: request.key, message: message(err) });
        },
      );
  } else if (request.type === 'embed') {
    const model = models.get(request.key);
    if (!model) {
      send({ type: 'error', id: request.id, message: `model ${request.key} is not loaded` });
      return;
    }
    model
      .then((extractor) => extractor(request.texts, { pooling: 'mean', normalize: true }))
      .then(
        (output) => {
          // Copy into an own buffer so it can be transferred without cloning.
          const data = new Float32Array(output.data);
          send({ type: 'result', id: request.id, data, dimension: output.dims.at(-1) ?? 0 }, [data.buffer as ArrayBuffer]);
        },
        (err: unknown) => send({ type: 'error', id: request.id, message: message(err) }),
      );
  } else {
    const model = models.get(request.key);
    models.delete(request.key);
    void model?.then((extractor) => extractor.dispose?.()).catch(() => undefined);
  }
});
