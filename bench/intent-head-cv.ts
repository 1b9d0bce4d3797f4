/**
 * Compares intent-head training data and settings on the SAME evaluation lines: the examples of an
 * evaluation intents folder (e.g. the intents as they were before a data round) are split into k
 * folds by a hash of their text; for each fold the model is trained on a training intents folder
 * minus that fold's texts and classifies the fold. A changed training set therefore never changes
 * what is measured (cross-validation on each set's own examples would).
 *
 *   npm run --silent bench:intent-cv -- [--train-dir <intents dir>] (--eval-dir <intents dir> | --eval-rev <commit>)
 *                                       [--folds 5] [--options '<IntentModelOptions json>'] [--json] [--rejected]
 *
 * --eval-rev reads the evaluation lines from intents/*.json as of a commit (e.g. 6a391f8, the intents
 * before the crisis rounds of issue 14). The training folder defaults to intents/.
 *
 * Prints accuracy, macro-F1, in-scope accuracy, OOS recall and precision, and crisis_support
 * precision and recall of the out-of-fold predictions (the model's crisis flag counts as a
 * crisis_support prediction, as in nlu:eval). Progress goes to stderr. --rejected also lists the
 * in-scope evaluation lines predicted out_of_scope (gold intent, best in-scope guess): the lines
 * that cost OOS precision, to look for intents that miss a phrasing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { CRISIS_INTENT, embedAsRows, OUT_OF_SCOPE, withoutShortTextCrisis } from '../src/core/nlu-port';
import { CachingEmbedder } from '../src/nlu/embedding-cache';
import { loadIntentData, type LabeledExample } from '../src/nlu/intent-data';
import type { EmbeddedExample } from '../src/nlu/intent-model';
import { fitIntentModel, type IntentModelOptions } from '../src/nlu/intent-training';
import { LexiconCrisisDetector } from '../src/nlu/lexicon-crisis-detector';
import { scoreRecords, type EvalRecord } from '../src/nlu/nlu-metrics';
import { TransformerEmbedder } from '../src/nlu/transformer-embedder';

/** The key two examples share when they are the same line (case and spacing aside). */
const keyOf = (text: string): string => text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Fold of a line: FNV-1a of its key, so the split depends on the text only, not on the set around it. */
function foldOf(text: string, k: number): number {
  let h = 0x811c9dc5;
  for (const ch of keyOf(text)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % k;
}

/** Writes intents/*.json as of `rev` into a temporary folder (the caller removes it). */
function intentsAt(rev: string, root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intents-at-'));
  const names = execFileSync('git', ['ls-tree', '--name-only', `${rev}:intents`], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((n) => n.endsWith('.json'));
  for (const name of names) {
    const text = execFileSync('git', ['show', `${rev}:intents/${name}`], { cwd: root, encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'train-dir': { type: 'string' },
      'eval-dir': { type: 'string' },
      'eval-rev': { type: 'string' },
      folds: { type: 'string', default: '5' },
      options: { type: 'string' },
      json: { type: 'boolean', default: false },
      rejected: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const trainDir = values['train-dir'] ?? config.intentsDir;
  const evalRev = values['eval-rev'];
  const evalDir = evalRev ? intentsAt(evalRev, config.rootDir) : (values['eval-dir'] ?? config.intentsDir);
  const k = Number(values.folds);
  const extra = values.options ? (JSON.parse(values.options) as IntentModelOptions) : {};
  const train = loadIntentData(trainDir).examples;
  const evaluation = loadIntentData(evalDir).examples;
  if (evalRev) fs.rmSync(evalDir, { recursive: true, force: true });
  const crisis = LexiconCrisisDetector.fromFile(path.join(config.intentsDir, 'lexicons', 'crisis.json'));
  const encoder = await TransformerEmbedder.load({ modelDir: config.modelDir, quantized: true });
  try {
    const embedder = new CachingEmbedder(
      encoder,
      path.join(config.rootDir, '.cache', 'embeddings'),
      encoder.location.fingerprint,
    );
    const embed = async (examples: LabeledExample[]): Promise<EmbeddedExample[]> => {
      const rows = await embedAsRows(
        embedder,
        examples.map((e) => e.text),
        'query',
      );
      const dim = rows.length / examples.length;
      return examples.map((e, i) => ({
        text: e.text,
        intent: e.intent,
        language: e.language,
        vector: rows.subarray(i * dim, (i + 1) * dim),
      }));
    };
    const trainEmbedded = await embed(train);
    const evalEmbedded = await embed(evaluation);
    const records: EvalRecord[] = [];
    const rejected: { gold: string; guess: string; confidence: number; text: string }[] = [];
    for (let f = 0; f < k; f++) {
      const held = evalEmbedded.filter((e) => foldOf(e.text, k) === f);
      const heldKeys = new Set(held.map((e) => keyOf(e.text)));
      const fit = trainEmbedded.filter((e) => !heldKeys.has(keyOf(e.text)));
      process.stderr.write(`[intent-head-cv] fold ${f + 1}/${k}: train ${fit.length}, evaluate ${held.length}\n`);
      const model = await fitIntentModel(fit, {
        crisisIntent: CRISIS_INTENT,
        targetOosRecall: 0.9,
        crisisLexicon: (t) => crisis.isCrisis(t),
        ...extra,
      });
      const t = model.tuning;
      process.stderr.write(
        `[intent-head-cv] fold ${f + 1}: head ${JSON.stringify(t.embeddingHead)}, lexical ${t.lexicalWeight}, neighbour ${t.neighbourWeight}, threshold ${t.threshold.toFixed(3)}, crisis threshold ${t.crisisThreshold?.toFixed(3)}\n`,
      );
      for (const e of held) {
        const p = model.predict(e.text, e.vector, e.language);
        const predicted = withoutShortTextCrisis(
          { intent: p.crisis ? CRISIS_INTENT : p.intent, confidence: 0, top: p.ranked, model: '' },
          e.text,
        ).intent;
        records.push({ gold: e.intent, predicted });
        if (predicted === OUT_OF_SCOPE && e.intent !== OUT_OF_SCOPE) {
          const guess = p.ranked.find((r) => r.intent !== OUT_OF_SCOPE)!;
          rejected.push({ gold: e.intent, guess: guess.intent, confidence: guess.confidence, text: e.text });
        }
      }
    }
    const report = scoreRecords(records, 'cv');
    const c = report.perIntent[CRISIS_INTENT];
    const summary = {
      train: train.length,
      evaluated: records.length,
      accuracy: report.accuracy,
      macroF1: report.macroF1,
      inScopeAccuracy: report.inScopeAccuracy,
      oosRecall: report.oosRecall,
      oosPrecision: report.oosPrecision,
      crisisPrecision: c?.precision ?? null,
      crisisRecall: c?.recall ?? null,
    };
    const listed = values.rejected
      ? rejected.sort((a, b) => a.gold.localeCompare(b.gold) || b.confidence - a.confidence)
      : undefined;
    if (values.json)
      process.stdout.write(
        JSON.stringify({ ...summary, perIntent: report.perIntent, ...(listed && { rejected: listed }) }) + '\n',
      );
    else {
      process.stdout.write(
        Object.entries(summary)
          .map(([name, v]) => `${name.padEnd(16)} ${typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v}`)
          .join('\n') + '\n',
      );
      for (const r of listed ?? [])
        process.stdout.write(`${r.gold.padEnd(26)} ${r.guess.padEnd(26)} ${r.confidence.toFixed(2)}  ${r.text}\n`);
    }
  } finally {
    await encoder.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`intent-head-cv failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
