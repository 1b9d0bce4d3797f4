/**
 * Inference thread: loads encoders and embeds the batches the encoder host sends, so tokenisation
 * and the forward pass never block the event loop that answers webhooks. Started only by
 * encoder-host.ts, once per process.
 *
 * For a model folder it tokenises with transformers.js and runs the ONNX graph on onnxruntime-node
 * directly (full graph optimisation, mean pooling and L2 norm here): measured at batch 1, 3.5 ms
 * against 5.5 ms through the transformers.js pipeline, whose extra work is all overhead for this
 * task. A hub model id goes through the pipeline (transformers.js owns its download cache). Both
 * give the same vectors.
 */
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddingWorkerData, EncoderEngine, HostRequest, WorkerReply } from './embedding-worker-protocol';
import type { ModelLocation } from './model-location';

interface Encoder {
  embed(texts: string[]): Promise<{ data: Float32Array; dimension: number }>;
  dispose(): Promise<void>;
}

interface TokenTensor {
  data: BigInt64Array;
  dims: number[];
}
type Tokenizer = (
  texts: string[],
  options: { padding: boolean; truncation: boolean },
) => { input_ids: TokenTensor; attention_mask: TokenTensor };

interface OrtTensor {
  data: Float32Array;
  dims: readonly number[];
}
interface OrtModule {
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: {
    create(
      file: string,
      options: { graphOptimizationLevel: 'all'; intraOpNumThreads: number; executionMode: 'sequential' },
    ): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
      inputNames: readonly string[];
    }>;
  };
}

type Extractor = ((
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>) & { dispose?: () => Promise<unknown> };

const port = parentPort;
if (!port) throw new Error('embedding-worker must run in a worker thread');
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const models = new Map<string, Promise<Encoder>>();

/** Mask-weighted mean over tokens, then L2 normalisation (the e5 recipe). */
function meanPool(hidden: OrtTensor, mask: BigInt64Array): { data: Float32Array; dimension: number } {
  const [batch, length, dimension] = hidden.dims as [number, number, number];
  const out = new Float32Array(batch * dimension);
  for (let b = 0; b < batch; b++) {
    let count = 0;
    const row = out.subarray(b * dimension, (b + 1) * dimension);
    for (let t = 0; t < length; t++) {
      if (mask[b * length + t] === 0n) continue;
      count++;
      const offset = (b * length + t) * dimension;
      for (let i = 0; i < dimension; i++) row[i]! += hidden.data[offset + i]!;
    }
    let norm = 0;
    for (let i = 0; i < dimension; i++) {
      row[i]! /= Math.max(count, 1);
      norm += row[i]! * row[i]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dimension; i++) row[i]! /= norm;
  }
  return { data: out, dimension };
}

/**
 * Embeds each text in its own forward pass and concatenates the rows. The int8 model quantises
 * activations dynamically, with one scale per tensor: in a batch, a row's vector depends on the
 * other rows and on padding (cosine 0.996 against the same text alone, measured), which moved a
 * borderline message's crisis probability from 0.17 to 0.29 depending on what else was in flight.
 * One text per pass makes every vector a function of its text alone; the host's micro-batches
 * still save the thread round trips.
 */
async function oneAtATime(
  texts: string[],
  embed: (text: string) => Promise<{ data: Float32Array; dimension: number }>,
): Promise<{ data: Float32Array; dimension: number }> {
  const rows: Float32Array[] = [];
  let dimension = 0;
  for (const text of texts) {
    const row = await embed(text);
    dimension = row.dimension;
    rows.push(row.data.subarray(0, dimension));
  }
  const data = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => data.set(row, i * dimension));
  return { data, dimension };
}

async function directEncoder(location: ModelLocation): Promise<Encoder | undefined> {
  if (location.kind !== 'folder' || !location.localModelPath) return undefined;
  let ort: OrtModule;
  try {
    // The runtime transformers.js itself depends on (and pins); without it, use the pipeline.
    const loaded = (await import('onnxruntime-node')) as unknown as { default?: OrtModule } & OrtModule;
    ort = loaded.default ?? loaded;
  } catch {
    return undefined;
  }
  const { AutoTokenizer, env } = await import('@xenova/transformers');
  env.localModelPath = location.localModelPath;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const tokenizer = (await AutoTokenizer.from_pretrained(location.modelId)) as unknown as Tokenizer;
  const file = path.join(
    location.localModelPath,
    location.modelId,
    'onnx',
    location.quantized ? 'model_quantized.onnx' : 'model.onnx',
  );
  const session = await ort.InferenceSession.create(file, {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: (workerData as EmbeddingWorkerData | null)?.threads ?? os.availableParallelism?.() ?? os.cpus().length,
    executionMode: 'sequential',
  });
  const embedOne = async (text: string) => {
    const encoded = tokenizer([text], { padding: false, truncation: true });
    const dims = encoded.input_ids.dims;
    const feeds: Record<string, unknown> = {
      input_ids: new ort.Tensor('int64', encoded.input_ids.data, dims),
      attention_mask: new ort.Tensor('int64', encoded.attention_mask.data, dims),
    };
    if (session.inputNames.includes('token_type_ids'))
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(encoded.input_ids.data.length), dims);
    const output = await session.run(feeds);
    const hidden = output.last_hidden_state ?? Object.values(output)[0]!;
    return meanPool(hidden, encoded.attention_mask.data);
  };
  return {
    embed: (texts) => oneAtATime(texts, embedOne),
    async dispose() {
      // onnxruntime-node 1.14 sessions have no release(): dropping the reference frees it.
    },
  };
}

async function pipelineEncoder(location: ModelLocation, hubCacheDir: string): Promise<Encoder> {
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
  const extractor = (await pipeline('feature-extraction', location.modelId, {
    quantized: location.quantized,
  })) as unknown as Extractor;
  return {
    embed: (texts) =>
      oneAtATime(texts, async (text) => {
        const output = await extractor([text], { pooling: 'mean', normalize: true });
        return { data: output.data, dimension: output.dims.at(-1) ?? 0 };
      }),
    async dispose() {
      await extractor.dispose?.();
    },
  };
}

async function load(location: ModelLocation, hubCacheDir: string, engine: EncoderEngine): Promise<Encoder> {
  return (
    (engine === 'auto' ? await directEncoder(location) : undefined) ??
    (await pipelineEncoder(location, hubCacheDir))
  );
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

port.on('message', (request: HostRequest) => {
  if (request.type === 'load') {
    const started = performance.now();
    let model = models.get(request.key);
    if (!model) {
      model = load(request.location, request.hubCacheDir, request.engine);
      models.set(request.key, model);
    }
    model
      // One warm-up pass: the first run allocates arenas and would skew the first resident's latency.
      .then((encoder) => encoder.embed(['query: 안녕하세요']))
      .then(
        (probe) =>
          send({
            type: 'loaded',
            key: request.key,
            dimension: probe.dimension,
            loadMs: Math.round(performance.now() - started),
          }),
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
      .then((encoder) => encoder.embed(request.texts))
      .then(
        ({ data, dimension }) => {
          // An own buffer, so it can be transferred without cloning.
          const own =
            data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
              ? data
              : new Float32Array(data);
          send({ type: 'result', id: request.id, data: own, dimension }, [own.buffer as ArrayBuffer]);
        },
        (err: unknown) => send({ type: 'error', id: request.id, message: message(err) }),
      );
  } else {
    const model = models.get(request.key);
    models.delete(request.key);
    void model?.then((encoder) => encoder.dispose()).catch(() => undefined);
  }
});
