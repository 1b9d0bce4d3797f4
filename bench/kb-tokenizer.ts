/**
 * Kiwi morphemes vs character bigrams as the Korean BM25 tokens of FAQ retrieval, on the DEV set
 * (test/fixtures/kb/dev.jsonl, tuning data). Prints, per tokenizer: BM25 alone (top-1, MRR@5 over
 * the answerable questions) and the whole tuned hybrid retriever (top-1, MRR@5, no-answer
 * precision/recall). A benchmark, never a test.
 *
 *   bash scripts/kiwi/fetch.sh        # once: kiwi-nlp (wasm) + kiwipiepy-model into .cache/kiwi
 *   npm run bench:kb-tokenizer [-- --embedder lexical|transformer] [--test FILE]
 *
 * Without the Kiwi files it prints the bigram figures and says what is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Embedder } from '../src/core/nlu-port';
import { Bm25Index } from '../src/knowledge/bm25-index';
import { E5Embedder } from '../src/knowledge/e5-embedder';
import { loadFaqFiles } from '../src/knowledge/faq-loader';
import { HybridRetriever, type Tokenizer } from '../src/knowledge/hybrid-retriever';
import { evaluate, NO_ANSWER, readEvalFile, type EvalLine } from '../src/knowledge/kb-eval';
import { LexicalEmbedder } from '../src/knowledge/lexical-embedder';
import { tuneRetriever } from '../src/knowledge/retriever-tuning';
import { latinToken, tokenize as bigrams } from '../src/knowledge/text-tokenizer';
import type { FaqEntry } from '../src/core/knowledge-port';
import { loadIntentData } from '../src/nlu/intent-data';
import { normalizeText } from '../src/nlu/text-normalize';

const ROOT = path.resolve(__dirname, '..');
const KIWI_VERSION = process.env.KIWI_VERSION ?? '0.23.0';
const KIWI_DIR = path.join(ROOT, '.cache', 'kiwi');

interface KiwiToken {
  str: string;
  tag: string;
}
interface Kiwi {
  tokenize(text: string): KiwiToken[];
}
interface KiwiModule {
  KiwiBuilder: {
    create(wasmPath: string): Promise<{
      build(args: { modelFiles: Record<string, Uint8Array>; modelType?: string }): Promise<Kiwi>;
    }>;
  };
}

/** Loads Kiwi from .cache/kiwi, or says why it cannot. */
async function loadKiwi(): Promise<Kiwi | string> {
  const pkg = path.join(KIWI_DIR, 'node_modules', 'kiwi-nlp');
  const modelDir = path.join(KIWI_DIR, `model-${KIWI_VERSION}`);
  if (!fs.existsSync(path.join(pkg, 'dist', 'index.js')))
    return `${pkg} missing: run bash scripts/kiwi/fetch.sh`;
  if (!fs.existsSync(path.join(modelDir, 'sj.morph')))
    return `${modelDir} missing: run bash scripts/kiwi/fetch.sh`;
  // kiwi-nlp is ESM; a computed specifier keeps it out of the project's dependencies and types.
  const specifier = `file://${path.join(pkg, 'dist', 'index.js')}`;
  const { KiwiBuilder } = (await import(specifier)) as KiwiModule;
  const modelFiles: Record<string, Uint8Array> = {};
  for (const f of fs.readdirSync(modelDir))
    modelFiles[f] = new Uint8Array(fs.readFileSync(path.join(modelDir, f)));
  // Kiwi's C++ side reports its model choice on stderr; that line is noise here.
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const builder = await KiwiBuilder.create(path.join(pkg, 'dist', 'kiwi-wasm.wasm'));
    return await builder.build({ modelFiles, modelType: 'cong' });
  } finally {
    process.stderr.write = write;
  }
}

/** Content morphemes (nouns, verb/adjective stems, roots, numbers, Latin words) as BM25 tokens. */
const CONTENT = /^(NNG|NNP|NR|VV|VA|XR|SN|SH|SL|MAG)/;

function kiwiTokenizer(kiwi: Kiwi): Tokenizer {
  const cache = new Map<string, string[]>();
  return (text) => {
    const hit = cache.get(text);
    if (hit) return hit;
    const tokens: string[] = [];
    for (const t of kiwi.tokenize(normalizeText(text))) {
      if (!CONTENT.test(t.tag)) continue;
      if (t.tag === 'SL' || t.tag === 'SN') {
        const token = latinToken(t.str.toLowerCase());
        if (token) tokens.push(token);
      } else tokens.push(`${t.str}/${t.tag[0] === 'V' ? 'V' : 'N'}`);
    }
    cache.set(text, tokens);
    return tokens;
  };
}

/** BM25 alone, one document per entry (its question variants), as the retriever indexes it. */
function bm25Only(entries: FaqEntry[], lines: EvalLine[], tokenize: Tokenizer) {
  const index = new Bm25Index();
  for (const e of entries)
    index.add(
      Object.values(e.questions)
        .flat()
        .flatMap((q) => tokenize(q)),
    );
  let top1 = 0;
  let mrr = 0;
  const answerable = lines.filter((l) => l.faq !== NO_ANSWER);
  for (const line of answerable) {
    const ranked = [...index.score(tokenize(line.text))]
      .sort((a, b) => b[1] - a[1])
      .map(([d]) => entries[d]!.id);
    const rank = ranked.slice(0, 5).indexOf(line.faq);
    if (rank === 0) top1++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  return { top1: top1 / answerable.length, mrr: mrr / answerable.length };
}

async function main() {
  const { values } = parseArgs({
    options: {
      embedder: { type: 'string', default: 'lexical' },
      test: { type: 'string', default: path.join(ROOT, 'test', 'fixtures', 'kb', 'dev.jsonl') },
    },
  });
  const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
  const examples = loadIntentData(path.join(ROOT, 'intents')).examples;
  const lines = readEvalFile(values.test);
  const embedder: Embedder =
    values.embedder === 'transformer'
      ? await E5Embedder.load(path.join(ROOT, 'models', 'multilingual-e5-small'))
      : new LexicalEmbedder().fit(entries.flatMap((e) => Object.values(e.questions).flat()));

  const tokenizers: [string, Tokenizer][] = [['bigram', bigrams]];
  const kiwi = await loadKiwi();
  if (typeof kiwi === 'string') {
    console.log(`kiwi: not measured (${kiwi})`);
  } else {
    const morphemes = kiwiTokenizer(kiwi);
    tokenizers.push(['kiwi', morphemes], ['kiwi+bigram', (t) => [...morphemes(t), ...bigrams(t)]]);
  }
  console.log(`${path.relative(ROOT, values.test)}: ${lines.length} questions; hybrid with ${embedder.name}`);
  console.log('tokenizer      bm25 top1  bm25 mrr5 | top1   mrr5   noAns P  noAns R  | tok ms/q');
  for (const [k, [name, tokenize]] of tokenizers.entries()) {
    // Timed on keys no tokenizer has seen (trailing spaces are normalised away), so caches do not count.
    const pad = ' '.repeat(k + 1);
    const started = performance.now();
    for (const l of lines) tokenize(l.text + pad);
    const msPerQuery = (performance.now() - started) / lines.length;
    const bm = bm25Only(entries, lines, tokenize);
    const retriever = await HybridRetriever.build(entries, embedder, {
      intentExamples: examples,
      tokenizer: tokenize,
    });
    await tuneRetriever(retriever, examples);
    const r = await evaluate(retriever, lines);
    const f = (x: number) => x.toFixed(3).padEnd(6);
    console.log(
      `${name.padEnd(14)} ${f(bm.top1)}     ${f(bm.mrr)}    | ${f(r.top1Accuracy)} ${f(r.mrrAt5)} ${f(r.noAnswerPrecision)}   ${f(r.noAnswerRecall)}   | ${msPerQuery.toFixed(2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
