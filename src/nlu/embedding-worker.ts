/**
 * Inference thread: loads the encoder through transformers.js (onnxruntime-node) and embeds the
 * batches TransformerEmbedder sends, so tokenisation and the forward pass never block the event
 * loop that answers webhooks. Started only by TransformerEmbedder.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbedRequest, EmbeddingWorkerData, WorkerReply } from './embedding-worker-protocol';

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

const port = parentPort;
if (!port) throw new Error('embedding-worker must run in a worker thread');
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

async function load(): Promise<Extractor> {
  const { location, hubCacheDir } = workerData as EmbeddingWorkerData;
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

async function main(): Promise<void> {
  const started = performance.now();
  let extractor: Extractor;
  try {
    extractor = await load();
    // One warm-up pass: the first run allocates arenas and would skew the first resident's latency.
    const probe = await extractor(['query: 안녕하세요'], { pooling: 'mean', normalize: true });
    send({ type: 'ready', dimension: probe.dims.at(-1) ?? 0, loadMs: Math.round(performance.now() - started) });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  port!.on('message', (request: EmbedRequest) => {
    extractor(request.texts, { pooling: 'mean', normalize: true }).then(
      (output) => {
        const dimension = output.dims.at(-1) ?? 0;
        // Copy into an own buffer so it can be transferred without cloning.
        const data = new Float32Array(output.data);
        send({ type: 'result', id: request.id, data, dimension }, [data.buffer as ArrayBuffer]);
      },
      (err: unknown) => send({ type: 'error', id: request.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
}

void main();
