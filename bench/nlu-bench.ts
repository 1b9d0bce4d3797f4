/**
 * Dajeong's intent classifier against NLP.js (node-nlp, the common JavaScript NLU), side by side on
 * the same train/test data: accuracy, out-of-scope recall, latency at batch 1 (p50/p95, including
 * tokenisation), throughput with concurrent requests (micro-batching for Dajeong), peak memory, and
 * the ratios. Each system runs in its own child process so memory figures do not mix.
 *
 *   npm run bench:nlu [-- --dataset own|clinc150|banking77|hwu64-ko|all] [--json]
 *
 *   own        train intents/, test test/fixtures/nlu/heldout.jsonl (default)
 *   clinc150   train/valid/test of CLINC150 (needs ../shared/datasets; prepared into .cache/datasets)
 *   banking77  train/valid/test of BANKING77
 *   hwu64-ko   train English HWU64, test Korean MASSIVE (cross-lingual)
 *
 * A benchmark, not a test: numbers go to stdout, nothing asserts on them. Others may be using the
 * machine at the same time; rerun for stable figures.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OUT_OF_SCOPE } from '../src/core/nlu-port';
import { loadIntentData, type LabeledExample } from '../src/nlu/intent-data';
import { readLabeledJsonl } from '../src/nlu/labeled-jsonl';
import { HybridLanguageDetector } from '../src/nlu/language-detector';
import { percentile, scoreRecords, type EvalRecord } from '../src/nlu/nlu-metrics';
import { trainIntentModel } from '../src/nlu/intent-model-builder';
import { TransformerClassifier } from '../src/nlu/transformer-classifier';
import { TransformerEmbedder } from '../src/nlu/transformer-embedder';
import { prepareDatasets } from './prepare-datasets';

const ROOT = path.resolve(__dirname, '..');
const DATASETS = path.join(ROOT, '.cache', 'datasets');

interface Split {
  train: LabeledExample[];
  valid?: LabeledExample[];
  test: LabeledExample[];
}

interface SystemResult {
  system: string;
  dataset: string;
  n: number;
  accuracy: number;
  inScopeAccuracy: number | null;
  oosRecall: number | null;
  trainMs: number;
  latencyMs: { p50: number; p95: number };
  throughputPerSec: number;
  peakRssMb: number;
  model: string;
}

function loadSplit(dataset: string): Split {
  if (dataset === 'own') {
    return {
      train: loadIntentData(path.join(ROOT, 'intents')).examples,
      test: readLabeledJsonl(path.join(ROOT, 'test', 'fixtures', 'nlu', 'heldout.jsonl')),
    };
  }
  if (!fs.existsSync(path.join(DATASETS, 'clinc150-test.jsonl')))
    prepareDatasets(path.resolve(ROOT, '..', 'shared', 'datasets'), DATASETS);
  const file = (name: string) => readLabeledJsonl(path.join(DATASETS, `${name}.jsonl`));
  switch (dataset) {
    case 'clinc150':
      return { train: file('clinc150-train'), valid: file('clinc150-valid'), test: file('clinc150-test') };
    case 'banking77':
      return { train: file('banking77-train'), valid: file('banking77-valid'), test: file('banking77-test') };
    case 'hwu64-ko':
      return { train: file('hwu64-train'), test: file('massive-ko-test') };
    default:
      throw new Error(`unknown dataset ${dataset}`);
  }
}

/** Runs `classify` over the test set at batch 1 (latency) and with `concurrency` clients (throughput). */
async function measure(
  test: LabeledExample[],
  classify: (text: string) => Promise<string>,
  concurrency: number,
) {
  const records: EvalRecord[] = [];
  for (const t of test) {
    const started = performance.now();
    const predicted = await classify(t.text);
    records.push({ gold: t.intent, predicted, latencyMs: performance.now() - started });
  }
  // Sustained load: `concurrency` clients, each sending its next message as soon as it has an answer.
  const total = Math.max(1000, test.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const t = test[next++ % test.length]!;
        await classify(t.text);
      }
    }),
  );
  const throughputPerSec = total / ((performance.now() - started) / 1000);
  return { records, throughputPerSec };
}

function summarize(
  system: string,
  dataset: string,
  records: EvalRecord[],
  trainMs: number,
  throughputPerSec: number,
  model: string,
): SystemResult {
  const report = scoreRecords(records, model);
  const latencies = records.map((r) => r.latencyMs ?? 0);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    system,
    dataset,
    n: report.n,
    accuracy: report.accuracy,
    inScopeAccuracy: report.inScopeAccuracy,
    oosRecall: report.oosRecall,
    trainMs: Math.round(trainMs),
    latencyMs: { p50: r2(percentile(latencies, 50)), p95: r2(percentile(latencies, 95)) },
    throughputPerSec: Math.round(throughputPerSec),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    model,
  };
}

async function runDajeong(dataset: string, split: Split): Promise<SystemResult> {
  const intents = loadIntentData(path.join(ROOT, 'intents'));
  const detector = new HybridLanguageDetector(intents.examples);
  const encoder = await TransformerEmbedder.load({
    modelDir: process.env.MODEL_DIR || path.join(ROOT, 'models', 'multilingual-e5-small'),
  });
  try {
    const started = performance.now();
    const { model } = await trainIntentModel({
      embedder: encoder,
      fingerprint: encoder.location.fingerprint,
      cacheDir: path.join(ROOT, '.cache', 'embeddings'),
      modelCacheDir: path.join(ROOT, '.cache', 'intent-models'),
      examples: split.train,
      valid: split.valid,
      reference: dataset === 'own' ? undefined : intents.examples,
      detector,
      crisisLexiconFile: path.join(ROOT, 'intents', 'lexicons', 'crisis.json'),
    });
    const trainMs = performance.now() - started;
    const classifier = new TransformerClassifier(encoder, model, detector);
    const { records, throughputPerSec } = await measure(
      split.test,
      async (text) => (await classifier.classify(text)).intent,
      64,
    );
    return summarize(
      'dajeong',
      dataset,
      records,
      trainMs,
      throughputPerSec,
      `${encoder.name} + n-gram LR (micro-batched)`,
    );
  } finally {
    await encoder.close();
  }
}

// NLP.js languages with a tokenizer/stemmer in node-nlp; others are trained and queried as English.
const NLPJS_LANGUAGES = ['ko', 'en', 'zh', 'ja', 'id', 'th', 'ru'];

async function runNlpJs(dataset: string, split: Split): Promise<SystemResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NlpManager } = require('node-nlp') as { NlpManager: new (o: object) => NlpJsManager };
  const detector = new HybridLanguageDetector();
  const lang = (text: string, given?: string) => {
    const l = given || detector.detect(text) || 'en';
    return NLPJS_LANGUAGES.includes(l) ? l : 'en';
  };
  const train = [...split.train, ...(split.valid ?? [])];
  const languages = [
    ...new Set([...train.map((e) => lang(e.text, e.language)), ...split.test.map((t) => lang(t.text))]),
  ];
  const manager = new NlpManager({ languages, forceNER: false, autoSave: false, nlu: { log: false } });
  for (const e of train) manager.addDocument(lang(e.text, e.language), e.text, e.intent);
  const started = performance.now();
  await manager.train();
  const trainMs = performance.now() - started;
  const { records, throughputPerSec } = await measure(
    split.test,
    async (text) => {
      const r = await manager.process(lang(text), text);
      return !r.intent || r.intent === 'None' ? OUT_OF_SCOPE : r.intent;
    },
    64,
  );
  return summarize(
    'nlp.js',
    dataset,
    records,
    trainMs,
    throughputPerSec,
    'node-nlp 4.27 (neural, default settings)',
  );
}

interface NlpJsManager {
  addDocument(language: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(language: string, text: string): Promise<{ intent?: string; score?: number }>;
}

function table(results: SystemResult[]): string {
  const fmt = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits));
  const lines = [
    'dataset    system   n      accuracy in-scope oos-rec  p50 ms  p95 ms  msg/s   peak MB train s',
    ...results.map(
      (r) =>
        `${r.dataset.padEnd(11)}${r.system.padEnd(9)}${String(r.n).padEnd(7)}${fmt(r.accuracy).padEnd(9)}${fmt(r.inScopeAccuracy).padEnd(9)}${fmt(r.oosRecall).padEnd(9)}` +
        `${r.latencyMs.p50.toFixed(2).padEnd(8)}${r.latencyMs.p95.toFixed(2).padEnd(8)}${String(r.throughputPerSec).padEnd(8)}${String(r.peakRssMb).padEnd(8)}${(r.trainMs / 1000).toFixed(1)}`,
    ),
    '',
    'ratios (dajeong / nlp.js):',
  ];
  for (const dataset of [...new Set(results.map((r) => r.dataset))]) {
    const d = results.find((r) => r.dataset === dataset && r.system === 'dajeong');
    const n = results.find((r) => r.dataset === dataset && r.system === 'nlp.js');
    if (!d || !n) continue;
    const ratio = (a: number | null, b: number | null) =>
      a === null || b === null || b === 0 ? '-' : (a / b).toFixed(2);
    lines.push(
      `${dataset.padEnd(11)}accuracy x${ratio(d.accuracy, n.accuracy)}  oos recall x${ratio(d.oosRecall, n.oosRecall)}  p50 latency x${ratio(d.latencyMs.p50, n.latencyMs.p50)}  throughput x${ratio(d.throughputPerSec, n.throughputPerSec)}  peak memory x${ratio(d.peakRssMb, n.peakRssMb)}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: 'own' },
      system: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const dataset = values.dataset!;
  if (values.system) {
    // Child mode: one system on one dataset, one JSON line on stdout.
    const split = loadSplit(dataset);
    const result =
      values.system === 'dajeong' ? await runDajeong(dataset, split) : await runNlpJs(dataset, split);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const datasets = dataset === 'all' ? ['own', 'clinc150', 'banking77', 'hwu64-ko'] : [dataset];
  const results: SystemResult[] = [];
  for (const d of datasets) {
    for (const system of ['dajeong', 'nlp.js']) {
      process.stderr.write(`[bench:nlu] ${system} on ${d}...\n`);
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, __filename, '--dataset', d, '--system', system],
        {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      results.push(JSON.parse(out.trim().split('\n').at(-1)!) as SystemResult);
    }
  }
  process.stdout.write((values.json ? JSON.stringify(results) : table(results)) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:nlu failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
