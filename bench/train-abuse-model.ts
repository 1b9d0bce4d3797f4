/**
 * Trains the learned half of the abuse detector and writes src/nlu/abuse-model.json.
 *
 *   npx tsx bench/train-abuse-model.ts [--datasets <dir>] [--features 6000] [--precision 0.9]
 *
 * Fitted on the training 80% of curse-detection-ko only (MIT licence, so the weights may ship with
 * this MIT project; the CC BY-SA sets are used for measuring, never for the shipped weights). The
 * decision threshold is the lowest one whose out-of-fold precision on that training part reaches
 * --precision: a false flag hides a resident's words from the counselor, so precision comes first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SerializedAbuseModel } from '../src/nlu/abuse-ngram-model';
import { deobfuscate } from '../src/nlu/abuse-normalize';
import { ngramFeatures } from '../src/nlu/ngram-features';
import { seededRandom } from '../src/nlu/softmax-head';
import { curseDetection, DEFAULT_DATASETS, type AbuseRow } from './abuse-datasets';

interface Sparse {
  idx: number[];
  val: number[];
}

function vectorize(texts: string[], vocab: Map<string, number>, idf: Float64Array): Sparse[] {
  return texts.map(deobfuscate).map((t) => {
    const counts = new Map<number, number>();
    for (const f of ngramFeatures(t)) {
      const i = vocab.get(f);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = [...counts.keys()];
    const val = idx.map((i) => (1 + Math.log(counts.get(i)!)) * idf[i]!);
    const norm = Math.sqrt(val.reduce((s, v) => s + v * v, 0)) || 1;
    return { idx, val: val.map((v) => v / norm) };
  });
}

function fitVocabulary(
  texts: string[],
  minDf: number,
  keep?: Set<string>,
): { vocab: Map<string, number>; idf: Float64Array } {
  const df = new Map<string, number>();
  for (const t of texts.map(deobfuscate))
    for (const f of new Set(ngramFeatures(t))) if (!keep || keep.has(f)) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = new Map<string, number>();
  const idfs: number[] = [];
  for (const [f, d] of df) {
    if (d < minDf) continue;
    vocab.set(f, vocab.size);
    idfs.push(Math.log((1 + texts.length) / (1 + d)) + 1);
  }
  return { vocab, idf: Float64Array.from(idfs) };
}

/** Binary logistic regression, mini-batch Adam with L2, class-balanced loss. */
function trainLogistic(
  rows: Sparse[],
  y: boolean[],
  features: number,
  scale: number,
  seed: number,
): { w: Float64Array; b: number } {
  const w = new Float64Array(features);
  const m = new Float64Array(features);
  const v = new Float64Array(features);
  let b = 0;
  let mb = 0;
  let vb = 0;
  const rand = seededRandom(seed);
  const pos = y.filter(Boolean).length;
  const wPos = y.length / (2 * pos);
  const wNeg = y.length / (2 * (y.length - pos));
  const order = Array.from(rows.keys());
  const lr = 0.01;
  const decay = 1e-4;
  let t = 0;
  for (let epoch = 0; epoch < 20; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let s = 0; s < order.length; s += 32) {
      const grad = new Map<number, number>();
      let gb = 0;
      const batch = order.slice(s, s + 32);
      for (const r of batch) {
        const row = rows[r]!;
        let z = b;
        row.idx.forEach((f, k) => (z += w[f]! * row.val[k]! * scale));
        const p = 1 / (1 + Math.exp(-z));
        const g = ((p - (y[r] ? 1 : 0)) * (y[r] ? wPos : wNeg)) / batch.length;
        gb += g;
        row.idx.forEach((f, k) => grad.set(f, (grad.get(f) ?? 0) + g * row.val[k]! * scale));
      }
      t++;
      const c1 = 1 - 0.9 ** t;
      const c2 = 1 - 0.999 ** t;
      for (const [f, g0] of grad) {
        const g = g0 + decay * w[f]!;
        m[f] = 0.9 * m[f]! + 0.1 * g;
        v[f] = 0.999 * v[f]! + 0.001 * g * g;
        w[f]! -= (lr * (m[f]! / c1)) / (Math.sqrt(v[f]! / c2) + 1e-8);
      }
      mb = 0.9 * mb + 0.1 * gb;
      vb = 0.999 * vb + 0.001 * gb * gb;
      b -= (lr * (mb / c1)) / (Math.sqrt(vb / c2) + 1e-8);
    }
  }
  return { w, b };
}

function score(row: Sparse, w: Float64Array, b: number, scale: number): number {
  let z = b;
  row.idx.forEach((f, k) => (z += w[f]! * row.val[k]! * scale));
  return 1 / (1 + Math.exp(-z));
}

/** Fits vocabulary + weights on `train`, pruned to the `maxFeatures` strongest n-grams. */
function fit(train: AbuseRow[], maxFeatures: number, scale: number, seed: number) {
  const texts = train.map((r) => r.text);
  const y = train.map((r) => r.abusive);
  const full = fitVocabulary(texts, 2);
  const first = trainLogistic(vectorize(texts, full.vocab, full.idf), y, full.vocab.size, scale, seed);
  const ranked = [...full.vocab].sort((a, b) => Math.abs(first.w[b[1]]!) - Math.abs(first.w[a[1]]!));
  const keep = new Set(ranked.slice(0, maxFeatures).map(([f]) => f));
  const pruned = fitVocabulary(texts, 2, keep);
  const model = trainLogistic(vectorize(texts, pruned.vocab, pruned.idf), y, pruned.vocab.size, scale, seed);
  return { ...pruned, ...model };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      datasets: { type: 'string' },
      features: { type: 'string', default: '6000' },
      precision: { type: 'string', default: '0.9' },
      out: { type: 'string' },
    },
  });
  const maxFeatures = Number(values.features);
  const targetPrecision = Number(values.precision);
  const scale = 8;
  const data = curseDetection(values.datasets ?? DEFAULT_DATASETS);
  // Out-of-fold scores on the training part choose the threshold.
  const k = 5;
  const oof: { p: number; y: boolean }[] = [];
  for (let f = 0; f < k; f++) {
    const fitPart = data.train.filter((_, i) => i % k !== f);
    const heldOut = data.train.filter((_, i) => i % k === f);
    const m = fit(fitPart, maxFeatures, scale, 11 + f);
    vectorize(
      heldOut.map((r) => r.text),
      m.vocab,
      m.idf,
    ).forEach((row, i) => oof.push({ p: score(row, m.w, m.b, scale), y: heldOut[i]!.abusive }));
    process.stderr.write(`[train-abuse] fold ${f + 1}/${k}\n`);
  }
  const candidates = [...new Set(oof.map((o) => o.p))].sort((a, b) => a - b);
  let threshold = 0.5;
  for (const c of candidates) {
    const flagged = oof.filter((o) => o.p >= c);
    const tp = flagged.filter((o) => o.y).length;
    if (flagged.length >= 20 && tp / flagged.length >= targetPrecision) {
      threshold = c;
      break;
    }
  }
  const flagged = oof.filter((o) => o.p >= threshold);
  const tp = flagged.filter((o) => o.y).length;
  process.stderr.write(
    `[train-abuse] threshold ${threshold.toFixed(3)}: out-of-fold precision ${(tp / flagged.length).toFixed(3)}, recall ${(tp / oof.filter((o) => o.y).length).toFixed(3)}\n`,
  );
  const final = fit(data.train, maxFeatures, scale, 7);
  const model: SerializedAbuseModel = {
    about:
      'Abusive-language n-gram logistic regression for Dajeong (inputs pass deobfuscate() first), trained by bench/train-abuse-model.ts on the seeded 80% training part of ' +
      'curse-detection-ko (2runo/Curse-detection-data, MIT licence, (c) 2runo). Threshold: out-of-fold precision >= ' +
      `${targetPrecision}.`,
    vocabulary: [...final.vocab.keys()],
    idf: [...final.idf].map((x) => Math.round(x * 1e4) / 1e4),
    weights: [...final.w].map((x) => Math.round(x * 1e4) / 1e4),
    bias: Math.round(final.b * 1e4) / 1e4,
    scale,
    threshold: Math.round(threshold * 1e4) / 1e4,
  };
  const out = values.out ?? path.resolve(__dirname, '..', 'src', 'nlu', 'abuse-model.json');
  fs.writeFileSync(out, JSON.stringify(model) + '\n');
  process.stderr.write(`[train-abuse] wrote ${out} (${model.vocabulary.length} features)\n`);
}

main();
