/**
 * Measures abuse detection on the three public Korean sets (report splits only; nothing here tunes).
 *
 *   npm run --silent bench:abuse [-- --datasets <dir>] [--json]
 *
 * Rows: the regular-expression lexicon alone, the learned n-gram model alone, and the detector the
 * service uses (LexiconAbuseDetector: lexicon OR model). Precision matters most (a false flag hides
 * a resident's words from the counselor until revealed); recall on these sets is bounded because
 * they label hate and offence broadly, much of it without any insult or swearing.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deobfuscate } from '../src/nlu/abuse-normalize';
import { LexiconAbuseDetector, shippedAbuseModel } from '../src/nlu/lexicon-abuse-detector';
import { allAbuseDatasets, DEFAULT_DATASETS, type AbuseRow } from './abuse-datasets';

interface Scores {
  n: number;
  positives: number;
  precision: number;
  recall: number;
  f1: number;
  flagged: number;
}

function measure(rows: AbuseRow[], flag: (text: string) => boolean): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const p = flag(r.text);
    if (p && r.abusive) tp++;
    else if (p) fp++;
    else if (r.abusive) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    n: rows.length,
    positives: tp + fn,
    precision: r4(precision),
    recall: r4(recall),
    f1: r4(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
    flagged: tp + fp,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { datasets: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const root = path.resolve(__dirname, '..');
  const lexiconFile = path.join(root, 'intents', 'lexicons', 'abuse.json');
  const lexiconOnly = LexiconAbuseDetector.fromFile(lexiconFile, { model: false });
  const model = shippedAbuseModel();
  const service = LexiconAbuseDetector.fromFile(lexiconFile);
  const detectors: [string, (t: string) => boolean][] = [
    ['lexicon (+ harassment)', (t) => lexiconOnly.isAbusive(t)],
    ['n-gram model', (t) => model.isAbusive(deobfuscate(t))],
    ['service (lexicon OR model)', (t) => service.isAbusive(t)],
  ];
  const results: Record<string, Record<string, Scores>> = {};
  for (const ds of allAbuseDatasets(values.datasets ?? DEFAULT_DATASETS)) {
    const key = `${ds.name} [${ds.testSplit}]`;
    results[key] = {};
    for (const [name, flag] of detectors) results[key]![name] = measure(ds.test, flag);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(results) + '\n');
    return;
  }
  const lines = [
    'dataset [split]                                  detector                      n      pos    flagged precision recall  f1',
  ];
  for (const [ds, byDetector] of Object.entries(results)) {
    for (const [name, s] of Object.entries(byDetector)) {
      lines.push(
        `${ds.padEnd(49)}${name.padEnd(30)}${String(s.n).padEnd(7)}${String(s.positives).padEnd(7)}${String(s.flagged).padEnd(8)}${s.precision.toFixed(3).padEnd(10)}${s.recall.toFixed(3).padEnd(8)}${s.f1.toFixed(3)}`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main();
