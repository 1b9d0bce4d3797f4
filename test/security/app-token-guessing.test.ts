/**
 * Wrong app tokens are rate limited per address (issue 12): each wrong token used to get its own
 * per-token budget, so guessing was unlimited. Requests whose token opens no session now count
 * per address; a resident's valid token from the same address keeps working.
 */
import type { Service } from '../../src/main';
import { newToken } from '../../src/http/app-auth';
import { AppClient, startService } from '../support/service';

describe('guessing app tokens', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers 429 after 20 wrong tokens a minute from one address, and still serves a valid token', async () => {
    const resident = new AppClient(service.url);
    await resident.start();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${newToken()}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
    await resident.poll(0); // throws unless 200
    const send = await resident.send({ text: '안녕하세요', clientMessageId: 'c-1' });
    expect(send.status).toBe(202);
  });
});
