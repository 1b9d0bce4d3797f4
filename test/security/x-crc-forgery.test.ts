/**
 * X webhook forgery through the CRC endpoint (issue 12): the CRC answer is the same HMAC-SHA256
 * with the same key as an event signature, so a CRC endpoint that signs any token signs forged
 * event bodies. Only tokens of X's form (bounded base64, not JSON) may be answered.
 */
import type { Service } from '../../src/main';
import { FakeXServer } from '../../channels/x/fake-x-server';
import { isXCrcToken } from '../../channels/x/x-verify';
import { startService } from '../support/service';
import { postRaw } from '../channels/channel-test-kit';

const CREDS = {
  key: 'xvz1evFS4wEEPTGEFPHBog',
  secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const OUR_ID = '1492000000000000001';

describe('X CRC endpoint', () => {
  let fake: FakeXServer;
  let service: Service;

  beforeAll(async () => {
    fake = new FakeXServer(CREDS.key, CREDS.secret, CREDS.token, CREDS.tokenSecret);
    service = await startService({
      X_CONSUMER_KEY: CREDS.key,
      X_CONSUMER_SECRET: CREDS.secret,
      X_ACCESS_TOKEN: CREDS.token,
      X_ACCESS_SECRET: CREDS.tokenSecret,
      X_API_BASE: await fake.start(),
    });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const crc = (token: string) => fetch(`${service.url}/webhooks/x?${new URLSearchParams({ crc_token: token })}`);

  it('answers a crc_token of the form X sends', async () => {
    const token = fake.crcToken();
    const res = await crc(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_token: fake.crcAnswer(token) });
  });

  it('does not sign a forged event body sent as crc_token, so the forged DM is refused and nothing is sent', async () => {
    const victim = '770000001';
    const forged = JSON.stringify(fake.dmEvent(OUR_ID, victim, '상담사 연결해 주세요'));
    const res = await crc(forged);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { response_token?: string };
    expect(answer.response_token).toBeUndefined();

    // What an attacker would do with the answer: post the body with it as the signature.
    const post = await postRaw(`${service.url}/webhooks/x`, forged, {
      'x-twitter-webhooks-signature': answer.response_token ?? 'sha256=',
    });
    expect(post.status).toBe(401);
    // 401 is answered before anything is stored, so no turn ran and no DM can follow.
    expect(await service.store.conversations.findOpen('x', victim)).toBeUndefined();
    expect(fake.sent(victim)).toEqual([]);
  });

  it.each([
    ['JSON text', 'true'],
    ['a JSON number', '12345678'],
    ['an over-long token', 'A'.repeat(129)],
    ['characters outside base64', 'abc def'],
    ['a JSON object', '{"a":1}'],
  ])('refuses %s', async (_what, token) => {
    expect(isXCrcToken(token)).toBe(false);
    expect((await crc(token)).status).toBe(400);
  });
});
