/**
 * Bot Framework end to end through botbuilder's CloudAdapter: activities POSTed to /api/messages,
 * replies captured by a fake connector at the activity's serviceUrl, and the handoff.initiate event.
 */
import type { Service } from '../../src/main';
import {
  botFrameworkMessage,
  FakeBotConnector,
  FakeBotFrameworkAuthority,
} from '../../channels/botframework/fake-botframework-server';
import { startService } from '../support/service';
import {
  allSent,
  conversationOf,
  FAST_OUTBOX,
  longKoreanText,
  messagesOf,
  postRaw,
  waitUntil,
} from './channel-test-kit';

describe('Bot Framework channel (authentication off for local use)', () => {
  let connector: FakeBotConnector;
  let serviceUrl: string;
  let service: Service;
  let seq = 1;
  const newConversation = () => `Dl7${String(seq++).padStart(4, '0')}AbCdEfGhIjKl-kr`;

  beforeAll(async () => {
    connector = new FakeBotConnector();
    serviceUrl = await connector.start();
    service = await startService({ MicrosoftAppId: '', ...FAST_OUTBOX });
  });
  afterAll(async () => {
    await service?.close();
    await connector?.stop();
  });

  const post = (activity: unknown, headers: Record<string, string> = {}) =>
    postRaw(`${service.url}/api/messages`, JSON.stringify(activity), headers);

  it('replies to the activity at serviceUrl/v3/conversations/{id}/activities/{replyToId}', async () => {
    const conversationId = newConversation();
    const activity = botFrameworkMessage({
      serviceUrl,
      conversationId,
      text: '안녕하세요',
      id: `${conversationId}|0000001`,
    });
    expect((await post(activity)).status).toBe(200);
    const reply = await connector.waitFor(conversationId);
    expect(reply.replyToId).toBe(`${conversationId}|0000001`);
    expect(reply.activity).toMatchObject({
      type: 'message',
      conversation: { id: conversationId },
      recipient: { id: 'dl_8f3a2c9e' },
    });
    expect(reply.activity.text!.length).toBeGreaterThan(0);
    expect(reply.authorization).toBeUndefined();
  });

  it('processes a retried activity once', async () => {
    const conversationId = newConversation();
    const activity = botFrameworkMessage({
      serviceUrl,
      conversationId,
      text: '버스 노선 문의',
      id: `${conversationId}|0000007`,
    });
    await post(activity);
    await post(activity);
    await connector.waitFor(conversationId);
    const conversation = await conversationOf(service, 'botframework', `webchat:${conversationId}`);
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(1);
    // Every reply of the turn (the welcome, then the answer) sent before counting what arrived.
    const entries = await allSent(service, conversation.id);
    expect(entries).toHaveLength(2);
    expect(connector.received(conversationId)).toHaveLength(entries.length);
  });

  it('offers quick replies as messageBack suggested actions and reads their payload back', async () => {
    const conversationId = newConversation();
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: 'qwpoeiru zxcmvn' }));
    await connector.waitFor(conversationId);
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: 'asdkfj qpwoei' }));
    const offer = await connector.waitFor(conversationId, (c) => !!c.activity.suggestedActions);
    const actions = (
      offer.activity.suggestedActions as {
        actions: { type: string; title: string; value: { payload: string } }[];
      }
    ).actions;
    const counselor = actions.find((a) => a.value.payload === 'intent:counselor_request')!;
    expect(counselor.type).toBe('messageBack');
    await post(
      botFrameworkMessage({ serviceUrl, conversationId, text: counselor.title, value: counselor.value }),
    );
    const conversation = await conversationOf(service, 'botframework', `webchat:${conversationId}`);
    await waitUntil(
      async () => (await service.store.conversations.get(conversation.id))?.state === 'queued',
      'the chat to be queued',
    );
  });

  it('emits handoff.initiate with the transcript on escalation', async () => {
    const conversationId = newConversation();
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: '상담사 연결해 주세요' }));
    const event = await connector.waitFor(conversationId, (c) => c.activity.type === 'event');
    expect(event.activity.name).toBe('handoff.initiate');
    const attachments = event.activity.attachments as {
      contentType: string;
      name: string;
      content: { activities: { text: string }[] };
    }[];
    expect(attachments[0]).toMatchObject({ contentType: 'application/json', name: 'Transcript' });
    expect(attachments[0]!.content.activities.map((a) => a.text)).toContain('상담사 연결해 주세요');
    const conversation = await conversationOf(service, 'botframework', `webchat:${conversationId}`);
    expect((await service.store.conversations.get(conversation.id))?.state).toBe('queued');
  });

  it('retries 503 and 429 from the connector and delivers', async () => {
    const conversationId = newConversation();
    connector.failNext(conversationId, 2);
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: '안녕하세요' }));
    await connector.waitFor(conversationId);
    const statuses = () =>
      connector.http.requests
        .filter((r) => r.path.includes(encodeURIComponent(conversationId)) || r.path.includes(conversationId))
        .map((r) => r.reply?.status);
    expect(statuses()).toEqual([503, 503, 200]);
    connector.throttleNext(conversationId, 1);
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: '감사합니다' }));
    await waitUntil(() => statuses().length === 5 && statuses()[4] === 200, 'the throttled reply');
    const requests = connector.http.requests.filter(
      (r) => r.path.includes(conversationId) || r.path.includes(encodeURIComponent(conversationId)),
    );
    expect(requests[3]!.reply?.status).toBe(429);
    expect(requests[4]!.at.getTime() - requests[3]!.at.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('splits an oversize counselor reply into activities of at most 4000 characters', async () => {
    const conversationId = newConversation();
    await post(botFrameworkMessage({ serviceUrl, conversationId, text: '안녕하세요' }));
    const conversation = await conversationOf(service, 'botframework', `webchat:${conversationId}`);
    const before = (await allSent(service, conversation.id)).length;
    const long = longKoreanText(9000);
    await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: long } },
    ]);
    await waitUntil(() => connector.received(conversationId).length >= before + 3, 'three activities');
    const parts = connector
      .received(conversationId)
      .slice(before)
      .map((c) => c.activity.text!);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4000);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
  });
});

describe('Bot Framework channel with an app id', () => {
  const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
  let authority: FakeBotFrameworkAuthority;
  let service: Service;

  beforeAll(async () => {
    authority = new FakeBotFrameworkAuthority();
    const metadataUrl = await authority.start();
    service = await startService({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret~123',
      ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    });
  });
  afterAll(async () => {
    await service?.close();
    await authority?.stop();
  });

  it('refuses activities without a token, or with a token not signed by the channel, with 401', async () => {
    const serviceUrl = 'http://127.0.0.1:9/';
    const activity = botFrameworkMessage({ serviceUrl, conversationId: 'auth-test-1', text: '안녕하세요' });
    const none = await postRaw(`${service.url}/api/messages`, JSON.stringify(activity));
    expect(none.status).toBe(401);
    const forged = await postRaw(`${service.url}/api/messages`, JSON.stringify(activity), {
      authorization: `Bearer ${authority.issueToken(APP_ID, serviceUrl, { foreignKey: true })}`,
    });
    expect(forged.status).toBe(401);
    const otherBot = await postRaw(`${service.url}/api/messages`, JSON.stringify(activity), {
      authorization: `Bearer ${authority.issueToken('another-bot-app-id', serviceUrl)}`,
    });
    expect(otherBot.status).toBe(401);
    expect(await service.store.conversations.findOpen('botframework', 'webchat:auth-test-1')).toBeUndefined();
  });

  it('accepts an activity with a valid RS256 channel token and stores it', async () => {
    const serviceUrl = 'http://127.0.0.1:9/';
    const activity = botFrameworkMessage({ serviceUrl, conversationId: 'auth-test-2', text: '안녕하세요' });
    const res = await postRaw(`${service.url}/api/messages`, JSON.stringify(activity), {
      authorization: `Bearer ${authority.issueToken(APP_ID, serviceUrl)}`,
    });
    expect(res.status).toBe(200);
    const conversation = await conversationOf(service, 'botframework', 'webchat:auth-test-2');
    expect(
      (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound'),
    ).toHaveLength(1);
  });

  it('refuses to start with an app id but no password', async () => {
    await expect(startService({ MicrosoftAppId: APP_ID })).rejects.toThrow(/MicrosoftAppPassword/);
  });
});
