/**
 * kb:eval — scores the FAQ retriever on a labelled JSONL set.
 *
 *   npm run --silent kb:eval -- --test test/fixtures/kb/heldout.jsonl [--json] [--embedder lexical|transformer]
 *                                [--knowledge DIR] [--intents DIR] [--model DIR] [--misses]
 *
 * The retriever is built and tuned exactly as the service does it (entries from knowledge/faq,
 * negatives from the out-of-scope and small-talk intent examples); the test file is only read.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { Embedder } from '../core/nlu-port';
import { faqIntentExamples, loadIntentData } from '../nlu/intent-data';
import { E5Embedder } from './e5-embedder';
import { loadFaqFiles } from './faq-loader';
import { HybridRetriever } from './hybrid-retriever';
import { evaluate, readEvalFile } from './kb-eval';
import { LexicalEmbedder } from './lexical-embedder';
import { tuneRetriever } from './retriever-tuning';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      test: { type: 'string' },
      json: { type: 'boolean', default: false },
      embedder: { type: 'string', default: 'lexical' },
      knowledge: { type: 'string' },
      intents: { type: 'string' },
      model: { type: 'string' },
      misses: { type: 'boolean', default: false },
    },
  });
  if (!values.test) {
    process.stderr.write('usage: kb:eval --test <file.jsonl> [--json] [--embedder lexical|transformer]\n');
    return 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const knowledgeDir = values.knowledge ?? config.knowledgeDir;
  const intentsDir = values.intents ?? config.intentsDir;
  const entries = loadFaqFiles(path.join(knowledgeDir, 'faq'));
  const examples = faqIntentExamples(loadIntentData(intentsDir).examples);
  const corpus = entries.flatMap((e) => Object.values(e.questions).flat());

  let embedder: Embedder;
  if (values.embedder === 'transformer') {
    embedder = await E5Embedder.load(values.model ?? config.modelDir);
  } else if (values.embedder === 'lexical') {
    embedder = new LexicalEmbedder().fit(corpus);
  } else {
    process.stderr.write(`unknown --embedder ${values.embedder}; use lexical or transformer\n`);
    return 2;
  }
  const started = Date.now();
  const retriever = await HybridRetriever.build(entries, embedder, { intentExamples: examples });
  const tuning = await tuneRetriever(retriever, examples);
  const report = await evaluate(retriever, readEvalFile(values.test));
  const summary = {
    embedder: embedder.name,
    entries: entries.length,
    tuning: { ...retriever.tuning, calibrator: undefined, split: tuning },
    ...report,
    misses: values.misses ? report.misses : undefined,
    seconds: (Date.now() - started) / 1000,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `kb:eval  ${values.test}  (${report.questions} questions: ${report.answerable} answerable, ${report.unanswerable} no-answer)`,
    `embedder            ${embedder.name}; ${entries.length} entries; weights a=${retriever.tuning.alpha} b=${retriever.tuning.beta} g=${retriever.tuning.gamma} d=${retriever.tuning.delta}; threshold=${retriever.tuning.threshold}`,
    `top-1 accuracy      ${report.top1Accuracy.toFixed(3)}  (${pct(report.top1Accuracy)})`,
    `MRR@5               ${report.mrrAt5.toFixed(3)}`,
    `no-answer precision ${report.noAnswerPrecision.toFixed(3)}`,
    `no-answer recall    ${report.noAnswerRecall.toFixed(3)}`,
    `decision accuracy   ${report.decisionAccuracy.toFixed(3)}  (answered right or declined right, threshold applied)`,
    `answered correctly  ${report.answeredCorrectly.toFixed(3)}  (answerable questions answered with the right entry)`,
    `tuning split        ${tuning.positives} held-out variants, ${tuning.intentExamples} intent examples, ${tuning.negatives} no-answer samples (${tuning.nearMisses} leave-one-entry-out near misses); variant top-1 ${tuning.top1.toFixed(3)}`,
  ];
  if (values.misses)
    for (const m of report.misses)
      lines.push(`  miss: ${m.text} -> ${m.got} (expected ${m.expected}, conf ${m.confidence})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `kb:eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
