/**
 * multilingual-e5-small through transformers.js (ONNX, quantised), from a provisioned folder only:
 * remote downloads are off, so a missing model fails fast instead of reaching the internet.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../core/nlu-port';

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

export class E5Embedder implements Embedder {
  readonly name = 'multilingual-e5-small';
  readonly dimension = 384;

  private constructor(
    private readonly extractor: Extractor,
    private readonly batchSize: number,
  ) {}

  /** True when `modelDir` holds what load() needs. */
  static available(modelDir: string): boolean {
    return ['config.json', 'tokenizer.json', path.join('onnx', 'model_quantized.onnx')].every((f) =>
      fs.existsSync(path.join(modelDir, f)),
    );
  }

  /**
   * Loads the quantised model from `modelDir` (e.g. models/multilingual-e5-small).
   * @throws Error when the folder is incomplete or the runtime cannot load it.
   */
  static async load(
    modelDir: string,
    options: { batchSize?: number; quantized?: boolean } = {},
  ): Promise<E5Embedder> {
    if (!E5Embedder.available(modelDir)) throw new Error(`model folder ${modelDir} is missing files`);
    // transformers.js is ESM-only; module node16 keeps this a real dynamic import.
    const { env, pipeline } = await import('@xenova/transformers');
    env.localModelPath = path.dirname(path.resolve(modelDir));
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const extractor = (await pipeline('feature-extraction', path.basename(modelDir), {
      quantized: options.quantized ?? true,
    })) as unknown as Extractor;
    return new E5Embedder(extractor, options.batchSize ?? 32);
  }

  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    const prefix = kind === 'query' ? 'query: ' : 'passage: ';
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize).map((t) => prefix + t);
      const result = await this.extractor(batch, { pooling: 'mean', normalize: true });
      const width = result.dims.at(-1) ?? this.dimension;
      for (let j = 0; j < batch.length; j++) out.push(result.data.slice(j * width, (j + 1) * width));
    }
    return out;
  }
}
