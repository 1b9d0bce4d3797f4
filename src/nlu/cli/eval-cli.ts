/**
 * Evaluates the transformer intent model on a labelled JSONL file.
 *
 *   npm run --silent nlu:eval -- --test <file.jsonl> [--train <file.jsonl>] [--valid <file.jsonl>] [--json]
 *                                [--model-dir <dir|hub id>] [--fp32] [--cached-test] [--errors]
 *
 * Lines are {"text", "intent"}; `out_of_scope` marks anything outside the label set. Without --train
 * the model is trained on intents/; with --train on that file alone (public benchmarks), tuned on
 * --valid when given, else on cross-validation / a hold-out of the training file. Prints a summary
 * (or, with --json, one JSON object) with n, accuracy, macroF1, inScopeAccuracy, oosRecall,
 * oosPrecision, crisisRecall, perIntent, confusion, latencyMs {p50, p95} and model.
 * --options '<json>' overrides IntentModelOptions (experiments). Progress goes to stderr. Exit code 2 on bad arguments or input.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import type { IntentModelOptions } from '../intent-training';
import { readLabeledJsonl } from '../labeled-jsonl';
import { runEvaluation } from '../nlu-evaluation';

const USAGE =
  'usage: nlu:eval -- --test <file.jsonl> [--train <file.jsonl>] [--valid <file.jsonl>] [--json] [--model-dir <dir>] [--fp32] [--cached-test]';

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        test: { type: 'string' },
        train: { type: 'string' },
        valid: { type: 'string' },
        json: { type: 'boolean', default: false },
        'model-dir': { type: 'string' },
        fp32: { type: 'boolean', default: false },
        'cached-test': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        errors: { type: 'boolean', default: false },
        options: { type: 'string' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (typeof values.test !== 'string') {
    process.stderr.write(`--test is required\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  let test, train, valid;
  try {
    test = readLabeledJsonl(values.test);
    train = typeof values.train === 'string' ? readLabeledJsonl(values.train) : undefined;
    valid = typeof values.valid === 'string' ? readLabeledJsonl(values.valid) : undefined;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  let options: IntentModelOptions | undefined;
  try {
    options =
      typeof values.options === 'string' ? (JSON.parse(values.options) as IntentModelOptions) : undefined;
  } catch {
    process.stderr.write('--options must be a JSON object of IntentModelOptions\n');
    return 2;
  }
  const report = await runEvaluation({
    options,
    test,
    train,
    valid,
    intentsDir: config.intentsDir,
    modelDir: typeof values['model-dir'] === 'string' ? values['model-dir'] : config.modelDir,
    quantized: !values.fp32,
    cacheDir: path.join(config.rootDir, '.cache', 'embeddings'),
    cachedTest: values['cached-test'] === true,
    onProgress: values.quiet ? undefined : (m) => process.stderr.write(`[nlu:eval] ${m}\n`),
  });
  if (values.json) {
    // The misclassified messages only on request: on a benchmark they are thousands of lines.
    const { errors, ...details } = report.details;
    process.stdout.write(
      JSON.stringify({ ...report, details: values.errors ? report.details : details }) + '\n',
    );
    void errors;
  } else {
    const { perIntent, confusion, details, ...summary } = report;
    void confusion;
    const lines = [
      ...Object.entries(summary).map(
        ([k, v]) => `${k.padEnd(16)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
      ),
      `${'tuning'.padEnd(16)} ${JSON.stringify(details.tuning)}`,
      `${'crisis (model)'.padEnd(16)} ${details.crisisRecallModelOnly}`,
      '',
      'intent                          precision recall  f1      support',
      ...Object.entries(perIntent).map(
        ([intent, s]) =>
          `${intent.padEnd(32)}${s.precision.toFixed(3).padEnd(10)}${s.recall.toFixed(3).padEnd(8)}${s.f1.toFixed(3).padEnd(8)}${s.support}`,
      ),
      ...(values.errors
        ? [
            '',
            'misclassified (gold -> predicted):',
            ...details.errors.map((e) => `${e.gold} -> ${e.predicted}\t${e.text}`),
          ]
        : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`nlu:eval failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
