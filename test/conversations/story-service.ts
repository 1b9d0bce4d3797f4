/**
 * The service stories run against: the real configuration a resident meets (transformer NLU, its
 * FAQ retriever), on the embedded store, with the file's own settings (e.g. TRANSIT_GTFS).
 * STORIES_NLU=lexical runs them on the degraded classifier instead.
 */
import type { Service } from '../../src/main';
import { ensureModel, MODEL_DIR } from '../nlu/model-fixture';
import { startService } from '../support/service';

export async function startStoryService(env: Record<string, string>): Promise<Service> {
  const lexical = process.env.STORIES_NLU === 'lexical';
  if (!lexical) ensureModel();
  const service = await startService({ NLU_MODE: lexical ? 'lexical' : 'auto', MODEL_DIR, ROUTING: 'manual', ...env });
  // Stories judge the bot residents meet: wait until the encoder and the FAQ index are ready.
  if (!lexical) await service.nlu.start({ modelDir: MODEL_DIR });
  return service;
}
