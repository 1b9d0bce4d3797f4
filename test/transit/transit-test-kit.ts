/** Shared set-up of the transit tests: the fixture feed and a service whose clock is fixed. */
import path from 'node:path';
import { createService, type Service } from '../../src/main';
import { silentLogger } from '../support/service';

export const MINI_FEED = path.join(__dirname, '..', 'fixtures', 'gtfs', 'mini');

/** Monday 30 November 2026, 10:00 in Seoul: a weekday. */
export const MONDAY_10AM = new Date('2026-11-30T10:00:00+09:00');

/**
 * Starts the whole service on a free port with "now" fixed through the injectable clock
 * (Date itself is left alone), and waits for the transit import to finish.
 */
export async function startTransitService(env: Record<string, string>, now: () => Date = () => MONDAY_10AM): Promise<Service> {
  const service = await createService({
    env: { PORT: '0', HOST: '127.0.0.1', NLU_MODE: 'lexical', LOG_LEVEL: 'silent', ...env },
    logger: process.env.TEST_LOGS ? undefined : silentLogger(),
    now,
  });
  await service.transit.start();
  await service.warmedUp;
  return service;
}
