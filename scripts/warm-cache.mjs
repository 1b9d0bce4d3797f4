// Builds, ahead of time, what the service builds and caches under CACHE_DIR (default .cache/) at
// start-up: the intent data's embeddings (embeddings/), the trained intent model (intent-models/),
// and the FAQ indexes, lexical and on the transformer (faq-indexes/), each keyed by a hash of its
// data, the encoder's weights and the recipe version. A service started on the same data and model
// loads them instead of training and tuning (seconds instead of minutes).
//
//   npm run build && npm run cache:warm      (the Dockerfile runs node scripts/warm-cache.mjs)
//
// Reads the service's own configuration (MODEL_DIR, INTENTS_DIR, KNOWLEDGE_DIR, CACHE_DIR,
// NLU_THREADS...). The FAQ is indexed as the data files seed it (an empty store); entries edited
// through the admin API since are rebuilt by the service in the background. Exits non-zero when the
// transformer could not be loaded or trained, so an image never ships without its cache.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = (file) => require(path.join(root, 'dist', 'src', file));

const { loadConfig } = dist('config.js');
const { createLogger } = dist('logger.js');
const { NluService } = dist('nlu/nlu-service.js');
const { MemoryStore } = dist('store/memory-store.js');
const { KnowledgeService } = dist('knowledge/knowledge-service.js');
const { faqIntentExamples } = dist('nlu/intent-data.js');
const { FaqIndexBuilder, inProcessFaqIndexRunner } = dist('knowledge/faq-index-builder.js');

const config = loadConfig(process.env);
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
if (config.NLU_MODE === 'lexical') {
  logger.info('NLU_MODE=lexical: nothing to pre-build');
  process.exit(0);
}
const started = Date.now();
const nlu = new NluService(config.intentsDir, logger);
await nlu.start({ modelDir: config.modelDir, mode: config.NLU_MODE, cacheDir: config.cacheDir, threads: config.NLU_THREADS });
const status = nlu.status();
if (status.degraded || status.mode !== 'transformer') {
  await nlu.close();
  logger.error({ status }, 'could not pre-build the NLU cache: the transformer did not load or train');
  process.exit(1);
}

// The same steps as the service's knowledge module: seed, lexical index, then the transformer one.
// Built on this thread (nothing else to keep responsive here).
const knowledge = new KnowledgeService({
  store: new MemoryStore(),
  faqDir: path.join(config.knowledgeDir, 'faq'),
  intentExamples: () => faqIntentExamples(nlu.intentData().examples),
  indexer: new FaqIndexBuilder(inProcessFaqIndexRunner, config.cacheDir),
  logger,
});
await knowledge.start();
const query = await nlu.embedderReady();
await knowledge.useEmbedder({ query, bulk: nlu.bulkEmbedder() ?? query, fingerprint: nlu.embedderFingerprint() });
const faq = knowledge.status();
await nlu.close();
logger.info(
  { ms: Date.now() - started, intents: status.intents, examples: status.examples, modelSource: status.modelSource, faqEntries: faq.entries, faqEmbedder: faq.embedder, faqIndexSource: faq.indexSource, cacheDir: config.cacheDir },
  'NLU and FAQ caches ready',
);
process.exit(0);
