/**
 * Where the encoder comes from: a provisioned folder (the normal, air-gapped case) or, where the
 * Hugging Face hub is reachable, a hub model id such as `Xenova/multilingual-e5-small`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ModelLocation {
  /** 'folder' = files on disk only; 'hub' = transformers.js may download (and cache) the model. */
  kind: 'folder' | 'hub';
  /** transformers.js `env.localModelPath` (the folder's parent) for folders. */
  localModelPath?: string;
  /** Name passed to `pipeline()`: the folder's base name, or the hub id. */
  modelId: string;
  /** int8 weights (`onnx/model_quantized.onnx`) or fp32 (`onnx/model.onnx`). */
  quantized: boolean;
  /** Short, stable identity of the weights and of how vectors are computed; keys the caches. */
  fingerprint: string;
  /** Human-readable name for logs, /readyz and CLI output. */
  name: string;
}

/** Raised when no usable model is at the configured place; the service then runs lexical. */
export class ModelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelUnavailableError';
  }
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** True when `value` looks like `owner/name` and is not a folder on this machine. */
export function isHubId(value: string): boolean {
  return HUB_ID.test(value) && !value.startsWith('.') && !fs.existsSync(value);
}

/**
 * How vectors are computed, part of every fingerprint: cached embeddings and trained models made
 * another way are not reused. 2 = one text per forward pass (embedding-worker.ts `oneAtATime`).
 */
const VECTOR_FORMAT = 2;

function modelFile(quantized: boolean): string {
  return path.join('onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
}

/**
 * Identity of the weights without hashing 100+ MB at every start: the SHA-256 the provisioning
 * step recorded in PROVENANCE.json when present, else size and modification time of the file.
 */
function folderFingerprint(dir: string, quantized: boolean): string {
  const rel = modelFile(quantized);
  let identity: string | undefined;
  try {
    const provenance = JSON.parse(fs.readFileSync(path.join(dir, 'PROVENANCE.json'), 'utf8')) as {
      files?: Record<string, { sha256?: string }>;
    };
    identity = provenance.files?.[rel.split(path.sep).join('/')]?.sha256;
  } catch {
    // No provenance record (a hand-prepared folder): fall back to file metadata.
  }
  if (!identity) {
    const stat = fs.statSync(path.join(dir, rel));
    identity = `${stat.size}:${stat.mtimeMs}`;
  }
  return crypto
    .createHash('sha256')
    .update(`${path.basename(dir)}|${rel}|${identity}|v${VECTOR_FORMAT}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * Resolves MODEL_DIR into a location, checking that a folder holds what transformers.js loads.
 * @throws ModelUnavailableError naming the missing files (an empty folder gives degraded mode).
 */
export function resolveModel(modelDir: string, options: { quantized?: boolean } = {}): ModelLocation {
  const quantized = options.quantized ?? true;
  if (isHubId(modelDir)) {
    return {
      kind: 'hub',
      modelId: modelDir,
      quantized,
      fingerprint: crypto
        .createHash('sha256')
        .update(`hub|${modelDir}|${quantized}|v${VECTOR_FORMAT}`)
        .digest('hex')
        .slice(0, 16),
      name: `${modelDir}${quantized ? '' : ' (fp32)'}`,
    };
  }
  const dir = path.resolve(modelDir);
  const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json', modelFile(quantized)];
  const missing = required.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new ModelUnavailableError(
      `model folder ${dir} lacks ${missing.join(', ')} (run npm run model:fetch, or set MODEL_DIR)`,
    );
  }
  const base = path.basename(dir);
  return {
    kind: 'folder',
    localModelPath: path.dirname(dir),
    modelId: base,
    quantized,
    fingerprint: folderFingerprint(dir, quantized),
    name: `${base}${quantized ? '' : ' (fp32)'}`,
  };
}
