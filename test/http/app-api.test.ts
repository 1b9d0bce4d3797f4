import WebSocket from 'ws';
import type { Service } from '../../src/main';
import { eventually } from '../console/console-client';
import { AppClient, startService } from '../support/service';

describe('resident app API', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.close();
  });

  it('answers a bus schedule question over long-poll', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('7-2번 버스 첫차가 몇 시예요?');
    const reply = await app.nextReply();
    expect(reply.author).toBe('bot');
    expect(reply.text).toMatch(/버스|교통|gbis/i);
    const conversation = await service.store.conversations.get(app.conversationId);
    expect(conversation?.lastIntent).toBe('transport_schedule');
  });

  it('pushes the same messages over the WebSocket stream', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
    const frames: { type: string; message?: { author: string; text?: string; quickReplies?: unknown[] } }[] = [];
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ type: 'auth', token: app.token }));
    await waitFor(() => frames.some((f) => f.type === 'ready'));
    await app.say('7-2번 버스 첫차가 몇 시예요?');
    const messages = () => frames.filter((f) => f.type === 'message').map((f) => f.message!);
    // The bot's answer: a bot message after the resident's.
    await waitFor(() => messages().findIndex((m) => m.author === 'resident') >= 0 && messages().slice(messages().findIndex((m) => m.author === 'resident')).some((m) => m.author === 'bot'));
    const [welcome, question, answer] = messages();
    // Replayed from the start of the conversation: the welcome with its four topics, then the turn.
    expect(welcome).toMatchObject({ author: 'bot', text: expect.stringContaining('다정') });
    expect(welcome!.quickReplies).toHaveLength(4);
    expect(question).toMatchObject({ author: 'resident', text: '7-2번 버스 첫차가 몇 시예요?' });
    expect(answer).toMatchObject({ author: 'bot', text: expect.stringMatching(/버스|교통/) });
    ws.close();
  });

  it('follows the resident into a new conversation after the old one is closed', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
    const frames: { type: string; cursor?: string; message?: { author: string; text?: string } }[] = [];
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ type: 'auth', token: app.token }));
    await waitFor(() => frames.some((f) => f.type === 'ready'));
    await service.store.conversations.update(app.conversationId, { state: 'closed', closedAt: new Date() });
    const { messageId } = await app.say('안녕하세요');
    // The old conversation's welcome is replayed first; wait for a bot message of the new one.
    const inNewConversation = (f: (typeof frames)[number]) => f.type === 'message' && f.cursor?.split('.')[0] !== app.conversationId;
    await waitFor(() => frames.some((f) => inNewConversation(f) && f.message?.author === 'bot'));
    const last = frames.filter((f) => f.type === 'message').at(-1)!;
    const session = await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${app.token}` } });
    const { cursor } = (await session.json()) as { cursor: string };
    expect(cursor.split('.')[0]).not.toBe(app.conversationId);
    expect(last.cursor!.split('.')[0]).toBe(cursor.split('.')[0]);
    // The new conversation opened with a message, so its first turn greets it: the welcome answers the hello.
    const newId = cursor.slice(0, cursor.lastIndexOf('.'));
    await eventually(async () => Boolean((await service.store.messages.get(messageId))?.handledAt), 10_000, 'turn handled');
    const stored = await service.store.messages.listByConversation(newId);
    expect(stored.map((m) => [m.author, m.channelMessageId?.endsWith(':welcome') ?? false])).toEqual([
      ['resident', false],
      ['bot', true],
    ]);
    ws.close();
  });

  it('refuses a stream without a valid token', async () => {
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(43) }));
    expect(await closed).toBe(4401);
  });

  it('stores the same clientMessageId once', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const body = { text: '안녕하세요', clientMessageId: 'retry-1' };
    const [a, b] = await Promise.all([app.send(body), app.send(body)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const ids = [((await a.json()) as { messageId: string }).messageId, ((await b.json()) as { messageId: string }).messageId];
    expect(ids[0]).toBe(ids[1]);
    const c = await app.send(body);
    expect(((await c.json()) as { messageId: string }).messageId).toBe(ids[0]);
    await app.nextReply();
    const stored = await service.store.messages.listByConversation(app.conversationId);
    const inbound = stored.filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(1);
    // The welcome from the session's start, and one answer to the one stored message.
    const bot = stored.filter((m) => m.author === 'bot');
    expect(bot.map((m) => m.replyToId)).toEqual([undefined, inbound[0]!.id]);
    expect(bot[0]!.seq).toBe(1);
  });

  it('rejects malformed bodies with 400 naming the field', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const missing = await app.send({ text: 'hi' });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { error: { code: string; fields: { field: string }[] } };
    expect(body.error.code).toBe('validation');
    expect(body.error.fields.map((f) => f.field)).toContain('clientMessageId');

    const wrongType = await app.send({ text: 42, clientMessageId: 'a' });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('text');

    const broken = await fetch(`${service.url}/api/app/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
      body: '{"text": "unterminated',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('validation');

    const session = await fetch(`${service.url}/api/app/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'ko-KR' }),
    });
    expect(session.status).toBe(400);
    expect(((await session.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('deviceId');
  });

  it('answers 401 for a missing or wrong token without revealing anything', async () => {
    const none = await fetch(`${service.url}/api/app/v1/messages`);
    const wrong = await fetch(`${service.url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${'a'.repeat(43)}` } });
    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await none.json()).toEqual(await wrong.json());
  });

  it('issues random tokens and stores only their hash', async () => {
    const a = new AppClient(service.url);
    const b = new AppClient(service.url);
    await a.start();
    await b.start();
    expect(a.token).not.toBe(b.token);
    expect(Buffer.from(a.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(await service.store.appSessions.findByTokenHash(a.token)).toBeUndefined();
  });

  it('serves an OpenAPI document describing the API', async () => {
    const res = await fetch(`${service.url}/api/app/v1/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sessions', '/messages']));
    expect(Object.keys(doc.paths['/messages']!)).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as { checks: { store: { kind: string }; nlu: { mode: string } } };
    expect(ready.checks.store.kind).toBe('memory');
    expect(ready.checks.nlu.mode).toBe('lexical');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('dajeong_messages_total');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
