/**
 * FAQ retrieval speed: index build + tuning time, and per-question search latency (p50/p95) over
 * the held-out questions. A benchmark, never a test: numbers depend on the machine.
 *
 *   npx tsx bench/kb-search.ts [--embedder lexical|transformer]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Embedder } from '../src/core/nlu-port';
import { E5Embedder } from '../src/knowledge/e5-embedder';
import { loadFaqFiles } from '../src/knowledge/faq-loader';
import { HybridRetriever } from '../src/knowledge/hybrid-retriever';
import { readEvalFile } from '../src/knowledge/kb-eval';
import { LexicalEmbedder } from '../src/knowledge/lexical-embedder';
import { tuneRetriever } from '../src/knowledge/retriever-tuning';
import { loadIntentData } from '../src/nlu/intent-data';

const ROOT = path.resolve(__dirname, '..');

async function main() {
  const { values } = parseArgs({ options: { embedder: { type: 'string', default: 'lexical' } } });
  const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
  const examples = loadIntentData(path.join(ROOT, 'intents')).examples;
  const embedder: Embedder =
    values.embedder === 'transformer'
      ? await E5Embedder.load(path.join(ROOT, 'models', 'multilingual-e5-small'))
      : new LexicalEmbedder().fit(entries.flatMap((e) => Object.values(e.questions).flat()));
  let t = performance.now();
  const retriever = await HybridRetriever.build(entries, embedder, { intentExamples: examples });
  const buildMs = performance.now() - t;
  t = performance.now();
  await tuneRetriever(retriever, examples);
  const tuneMs = performance.now() - t;
  const questions = readEvalFile(path.join(ROOT, 'test', 'fixtures', 'kb', 'heldout.jsonl')).map((l) => l.text);
  const times: number[] = [];
  for (const q of questions) {
    const s = performance.now();
    await retriever.search(q, 'ko');
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  console.log(
    `${embedder.name}: ${entries.length} entries; build ${buildMs.toFixed(0)} ms, tune ${tuneMs.toFixed(0)} ms; ` +
      `search p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms over ${times.length} questions`,
  );
}

void main();
