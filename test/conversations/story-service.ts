/**
 * The service stories run against: the real configuration a resident meets (transformer NLU, its
 * FAQ retriever), on the embedded store, with the file's own settings (e.g. TRANSIT_GTFS).
 * STORIES_NLU=lexical runs them on the degraded classifier instead. A file's `now` fixes the clock
 * of time-dependent answers (transit timetables) so they do not depend on the day of the run.
 */
import type { Service } from '../../src/main';
import { ensureModel, MODEL_DIR } from '../nlu/model-fixture';
import { createService } from '../../src/main';
import { silentLogger } from '../support/service';
import type { StoryFile } from './story-format';
import { STORY_ADMIN } from './story-runner';

export async function startStoryService(env: Record<string, string>, now?: string): Promise<Service> {
  const lexical = process.env.STORIES_NLU === 'lexical';
  if (!lexical) ensureModel();
  const service = await createService({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      NLU_MODE: lexical ? 'lexical' : 'auto',
      MODEL_DIR,
      ROUTING: 'manual',
      // Counselor steps sign in through the console as a counselor this admin creates.
      ADMIN_LOGIN: STORY_ADMIN.login,
      ADMIN_PASSWORD: STORY_ADMIN.password,
      ...env,
    },
    logger: process.env.TEST_LOGS ? undefined : silentLogger(),
    ...(now && { now: () => new Date(now) }),
  });
  // Transit answers need the timetable imported (a worker thread) before the first question.
  if (env.TRANSIT_GTFS) await service.transit.start();
  // Stories judge the bot residents meet: /readyz waits for the transformer intent model and the FAQ
  // index on the encoder (built after it). Calling nlu.start again would replace the service's own
  // start options (cache folder, watch) with these.
  if (!lexical) await untilReady(service.url);
  return service;
}

async function untilReady(url: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 900_000; ) {
    if ((await fetch(`${url}/readyz`)).ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the story service did not become ready (transformer and FAQ index) within 15 minutes');
}

/** Services shared by the story files that need the same settings (the transformer is slow to start). */
const shared = new Map<string, Promise<Service>>();

/**
 * The service for a story file: files with the same settings share one. A file with counselor
 * steps gets its own group (a signed-in counselor changes what waiting residents are told).
 */
export function storyServiceFor(spec: StoryFile): Promise<Service> {
  const counselor = spec.stories.some((s) => s.steps.some((step) => step.counselor !== undefined));
  const key = JSON.stringify({ env: Object.entries(spec.env).sort(), now: spec.now ?? null, counselor });
  let service = shared.get(key);
  if (!service) {
    service = startStoryService(spec.env, spec.now);
    shared.set(key, service);
  }
  return service;
}

/** Closes every shared story service. */
export async function closeStoryServices(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.all(all.map(async (s) => (await s).close()));
}
