/**
 * LOGIN_RATE_LIMIT is "login attempts per address per minute" (README): the limit holds for an
 * address however many login names it tries, not once per name.
 */
import type { Service } from '../../src/main';
import { startService } from '../support/service';
import { ConsoleClient } from './console-client';

let service: Service;
beforeAll(async () => {
  service = await startService({ LOGIN_RATE_LIMIT: '3' });
});
afterAll(async () => {
  await service?.close();
});

it('answers 429 after LOGIN_RATE_LIMIT attempts from one address, even across login names', async () => {
  const statuses: number[] = [];
  for (const login of ['kim', 'lee', 'park', 'choi', 'jung']) {
    statuses.push((await new ConsoleClient(service.url).login(login, 'guess-guess')).status);
  }
  expect(statuses).toEqual([401, 401, 401, 429, 429]);
});
