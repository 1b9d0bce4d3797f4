/**
 * X direct messages end to end: CRC, signed Account Activity POSTs, and a fake X API v2 that
 * verifies OAuth 1.0a signatures and answers with X's errors and rate-limit headers.
 */
import { createHmac } from 'node:crypto';
import type { Service } from '../../src/main';
import { FakeXServer } from '../../channels/x/fake-x-server';
import { MemoryStore } from '../../src/store/memory-store';
import { startService } from '../support/service';
import {
  allSent,
  conversationOf,
  FAST_OUTBOX,
  longKoreanText,
  messagesOf,
  outboxOf,
  postRaw,
  waitUntil,
} from './channel-test-kit';

const CREDS = {
  key: 'xvz1evFS4wEEPTGEFPHBog',
  secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const OUR_ID = '1492000000000000001';

function env(base: string, extra: Record<string, string> = {}) {
  return {
    X_CONSUMER_KEY: CREDS.key,
    X_CONSUMER_SECRET: CREDS.secret,
    X_ACCESS_TOKEN: CREDS.token,
    X_ACCESS_SECRET: CREDS.tokenSecret,
    X_API_BASE: base,
    ...FAST_OUTBOX,
    ...extra,
  };
}

describe('X direct messages channel', () => {
  let fake: FakeXServer;
  let service: Service;
  let userSeq = 880_000;
  const newUser = () => String(userSeq++);

  beforeAll(async () => {
    fake = new FakeXServer(CREDS.key, CREDS.secret, CREDS.token, CREDS.tokenSecret);
    service = await startService(env(await fake.start()));
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const post = (payload: unknown, signature?: string) => {
    const signed = fake.sign(payload);
    return postRaw(`${service.url}/webhooks/x`, signed.body, {
      'x-twitter-webhooks-signature': signature ?? signed.signature,
    });
  };

  it('answers the CRC check with the HMAC of the token', async () => {
    const res = await fetch(`${service.url}/webhooks/x?crc_token=challenge-123`);
    expect(res.status).toBe(200);
    const expected = `sha256=${createHmac('sha256', CREDS.secret).update('challenge-123').digest('base64')}`;
    expect(await res.json()).toEqual({ response_token: expected });
    expect((await fetch(`${service.url}/webhooks/x`)).status).toBe(400);
  });

  it('answers a DM with sendDmToParticipant, signed with OAuth 1.0a', async () => {
    const user = newUser();
    expect((await post(fake.dmEvent(OUR_ID, user, '안녕하세요'))).status).toBe(200);
    const [dm] = await fake.waitForSent(user);
    expect(dm!.text.length).toBeGreaterThan(0);
    expect(fake.http.requests.some((r) => r.reply?.status === 401)).toBe(false);
  });

  it('refuses a wrong signature and stores nothing', async () => {
    const user = newUser();
    const res = await post(fake.dmEvent(OUR_ID, user, '안녕하세요'), 'sha256=AAAA');
    expect(res.status).toBe(401);
    expect(await service.store.conversations.findOpen('x', user)).toBeUndefined();
  });

  it('drops our own DMs and processes a redelivered event once', async () => {
    const user = newUser();
    expect((await post(fake.dmEvent(OUR_ID, OUR_ID, '봇이 보낸 답장'))).status).toBe(200);
    expect(await service.store.conversations.findOpen('x', OUR_ID)).toBeUndefined();
    const event = fake.dmEvent(OUR_ID, user, '여권 재발급 방법 알려주세요', { id: '1799000000000000777' });
    await post(event);
    await post(event);
    await fake.waitForSent(user);
    const conversation = await conversationOf(service, 'x', user);
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.channelMessageId)).toEqual(['1799000000000000777']);
    // Every reply of the turn (the welcome, then the answer) sent before counting what arrived.
    const entries = await allSent(service, conversation.id);
    expect(entries).toHaveLength(2);
    expect(fake.sent(user)).toHaveLength(entries.length);
  });

  it('reads quick-reply metadata and photos, and folds buttons and links into the DM text', async () => {
    const user = newUser();
    await post(
      fake.dmEvent(OUR_ID, user, '사진 보냅니다', {
        mediaUrl: 'https://ton.twitter.com/1.1/ton/data/dm/1/2/pothole.jpg',
      }),
    );
    await post(fake.dmEvent(OUR_ID, user, '상담사 연결', { quickReply: 'intent:counselor_request' }));
    const conversation = await conversationOf(service, 'x', user);
    const inbound = await waitUntil(async () => {
      const m = (await messagesOf(service, conversation.id)).filter((x) => x.direction === 'inbound');
      return m.length === 2 && m;
    }, 'two DMs');
    expect(inbound[0]!.content).toEqual({
      kind: 'image',
      caption: '사진 보냅니다',
      images: [{ url: 'https://ton.twitter.com/1.1/ton/data/dm/1/2/pothole.jpg' }],
    });
    expect(inbound[1]!.content).toEqual({ kind: 'button', text: '상담사 연결', payload: 'intent:counselor_request' });

    const before = (await allSent(service, conversation.id)).length;
    await service.outbound.send(conversation, [
      {
        author: 'counselor',
        authorId: 'c1',
        content: {
          kind: 'text',
          text: '원하시는 항목을 골라 주세요.',
          quickReplies: [
            { label: '교통', payload: 'a' },
            { label: '복지', payload: 'b' },
          ],
          links: [{ title: '경기도청', url: 'https://www.gg.go.kr' }],
        },
      },
    ]);
    const dms = (await fake.waitForSent(user, before + 1)).slice(before);
    expect(dms[0]!.text).toBe(
      '원하시는 항목을 골라 주세요.\n\n경기도청: https://www.gg.go.kr\n\n• 교통\n• 복지',
    );
  });

  it('retries 503 and 429 (waiting for x-rate-limit-reset) and delivers', async () => {
    const user = newUser();
    fake.failNext(user, 2);
    await post(fake.dmEvent(OUR_ID, user, '안녕하세요'));
    await fake.waitForSent(user);
    const forUser = () => fake.http.requests.filter((r) => r.path.includes(`/with/${user}/`));
    expect(forUser().map((r) => r.reply?.status)).toEqual([503, 503, 201]);

    fake.rateLimitNext(user, 2);
    await post(fake.dmEvent(OUR_ID, user, '감사합니다'));
    await fake.waitForSent(user, 2);
    const [limited, ok] = forUser().slice(3);
    expect([limited!.reply?.status, ok!.reply?.status]).toEqual([429, 201]);
    const reset = Number(limited!.reply!.headers!['x-rate-limit-reset']) * 1000;
    expect(ok!.at.getTime()).toBeGreaterThanOrEqual(reset - 50);
  });

  it('splits an oversize reply into DMs of at most 10,000 characters', async () => {
    const user = newUser();
    await post(fake.dmEvent(OUR_ID, user, '안녕하세요'));
    const conversation = await conversationOf(service, 'x', user);
    const before = (await allSent(service, conversation.id)).length;
    const long = longKoreanText(25_000);
    await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: long } },
    ]);
    const dms = (await fake.waitForSent(user, before + 3)).slice(before);
    expect(dms).toHaveLength(3);
    for (const dm of dms) expect(dm.text.length).toBeLessThanOrEqual(10_000);
    expect(
      dms
        .map((d) => d.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(long.replace(/\s+/g, ' '));
  });
});

describe('X channel switched off', () => {
  it('unmounts its webhook, keeps its replies in the outbox, and delivers them once switched on again', async () => {
    const fake = new FakeXServer(CREDS.key, CREDS.secret, CREDS.token, CREDS.tokenSecret);
    const base = await fake.start();
    const store = new MemoryStore();
    const off = await startService(env(base, { X_ENABLED: 'false' }), store);
    let on: Service | undefined;
    try {
      expect(off.channels.get('x')).toBeUndefined();
      expect((await fetch(`${off.url}/webhooks/x?crc_token=t`)).status).toBe(404);
      // A conversation that started while X was on, answered by a counselor while it is off.
      const resident = await store.residents.findOrCreateByIdentity({
        channel: 'x',
        externalUserId: '555001',
      });
      const conversation = await store.conversations.create({
        residentId: resident.id,
        channel: 'x',
        externalUserId: '555001',
        language: 'ko',
        state: 'assigned',
        priority: 'request',
        lastInboundAt: new Date(),
      });
      await off.outbound.send(conversation, [
        { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: '확인 후 다시 연락드리겠습니다.' } },
      ]);
      const [entry] = await waitUntil(async () => {
        const e = await outboxOf(off, conversation.id);
        return e.length > 0 && e[0]!.lastError && e;
      }, 'the outbox to note the disabled channel');
      expect(entry).toMatchObject({ status: 'pending', lastError: 'channel x is not enabled' });
      expect(fake.http.requests).toHaveLength(0);
      await off.close();

      on = await startService(env(base), store);
      const [dm] = await fake.waitForSent('555001');
      expect(dm!.text).toBe('확인 후 다시 연락드리겠습니다.');
    } finally {
      await on?.close();
      await off.close();
      await fake.stop();
    }
  });
});
