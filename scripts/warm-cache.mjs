// Builds, ahead of time, what the service builds and caches under .cache/ at start-up: the intent
// data's embeddings (.cache/embeddings) and the trained intent model (.cache/intent-models), keyed
// by the intent data, the crisis lexicon and the encoder's weights. A service started on the same
// data and model loads them instead of training (seconds instead of minutes).
//
//   npm run build && node scripts/warm-cache.mjs      (the Dockerfile runs it at image build time)
//
// Reads the service's own configuration (MODEL_DIR, INTENTS_DIR, NLU_THREADS...). Exits non-zero
// when the transformer could not be loaded or trained, so an image never ships without its cache.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = (file) => require(path.join(root, 'dist', 'src', file));

const { loadConfig } = dist('config.js');
const { createLogger } = dist('logger.js');
const { NluService } = dist('nlu/nlu-service.js');

const config = loadConfig(process.env);
const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
if (config.NLU_MODE === 'lexical') {
  logger.info('NLU_MODE=lexical: nothing to pre-build');
  process.exit(0);
}
const started = Date.now();
const nlu = new NluService(config.intentsDir, logger);
await nlu.start({ modelDir: config.modelDir, mode: config.NLU_MODE, cacheDir: path.join(config.rootDir, '.cache'), threads: config.NLU_THREADS });
const status = nlu.status();
await nlu.close();
if (status.degraded || status.mode !== 'transformer') {
  logger.error({ status }, 'could not pre-build the NLU cache: the transformer did not load or train');
  process.exit(1);
}
logger.info({ ms: Date.now() - started, intents: status.intents, examples: status.examples }, 'NLU cache ready under .cache/');
process.exit(0);
