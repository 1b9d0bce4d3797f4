/**
 * The outbox worker's ordering rules over real HTTP (fake Bot API, real Telegram adapter): a reply
 * waiting for its retry holds back the later ones; a reply given up for good does not block its
 * conversation; the lease is renewed while a slow send runs.
 */
import { TelegramAdapter } from '../../channels/telegram/telegram-adapter';
import { FakeTelegramServer } from '../../channels/telegram/fake-telegram-server';
import type { RecordedRequest } from '../../channels/shared/fake-http-server';
import { textContent } from '../../src/core/message';
import type { Store } from '../../src/core/store-port';
import { MemoryStore } from '../../src/store/memory-store';
import { ChannelDirectory } from '../../src/turn/channel-directory';
import { OutboxWorker, type OutboxWorkerOptions } from '../../src/turn/outbox-worker';
import { silentLogger } from '../support/service';

const TOKEN = '7000000002:AAH-worker-test';
let fake: FakeTelegramServer;
let apiRoot: string;
beforeAll(async () => {
  fake = new FakeTelegramServer(TOKEN);
  apiRoot = await fake.start();
});
afterAll(() => fake.stop());
afterEach(() => {
  fake.sendDelayMs = 0;
  fake.http.clearScripted();
});

const workers: OutboxWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

function worker(store: Store, options: OutboxWorkerOptions = {}): OutboxWorker {
  const channels = new ChannelDirectory();
  channels.add(new TelegramAdapter({ token: TOKEN, apiRoot, mode: 'webhook', webhookSecret: 'secret' }, silentLogger()));
  const w = new OutboxWorker(store, channels, silentLogger(), { pollMs: 20, baseDelayMs: 50, maxDelayMs: 200, ...options });
  workers.push(w);
  return w;
}

/** A conversation with `texts` queued as bot replies, in this order. */
async function queued(store: Store, chat: number, texts: string[]) {
  const resident = await store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: String(chat) });
  const c = await store.conversations.create({ residentId: resident.id, channel: 'telegram', externalUserId: String(chat), language: 'ko', state: 'bot', priority: 'normal' });
  const entries = [];
  for (const text of texts) {
    const { message } = await store.messages.append({ conversationId: c.id, residentId: resident.id, channel: 'telegram', direction: 'outbound', author: 'bot', content: textContent(text) });
    entries.push(await store.outbox.enqueue({ messageId: message.id, conversationId: c.id, channel: 'telegram', externalUserId: String(chat) }));
  }
  return entries;
}

const textIs = (text: string) => (r: RecordedRequest) => r.path.endsWith('/sendMessage') && (r.body as { text?: string })?.text === text;

it('keeps later replies back while the first waits for its retry', async () => {
  const store = new MemoryStore();
  const chat = 9_100_001;
  fake.http.failNext(textIs('first'), { status: 502, body: 'Bad Gateway' }, { status: 502, body: 'Bad Gateway' });
  await queued(store, chat, ['first', 'second', 'third']);
  worker(store).start();
  const sent = await fake.waitForSent(chat, 3);
  expect(sent.map((s) => s.body.text)).toEqual(['first', 'second', 'third']);
  // The two failed tries came before anything else was sent to this chat.
  const calls = fake.http.requests.filter((r) => String((r.body as { chat_id?: unknown })?.chat_id) === String(chat));
  expect(calls.map((r) => [(r.body as { text: string }).text, r.reply?.status])).toEqual([
    ['first', 502],
    ['first', 502],
    ['first', 200],
    ['second', 200],
    ['third', 200],
  ]);
});

it('delivers the later replies when one is given up for good, and keeps that one as failed', async () => {
  const store = new MemoryStore();
  const chat = 9_100_002;
  fake.http.failNext(textIs('rejected'), { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
  const [rejected] = await queued(store, chat, ['rejected', 'after 1', 'after 2']);
  worker(store).start();
  const sent = await fake.waitForSent(chat, 2);
  expect(sent.map((s) => s.body.text)).toEqual(['after 1', 'after 2']);
  const failed = await store.outbox.listByStatus('failed', 10);
  expect(failed.map((e) => [e.id, e.lastError])).toEqual([[rejected!.id, expect.stringContaining('chat not found')]]);
});

it('renews the lease while a slow send runs', async () => {
  const store = new MemoryStore();
  const renewals: Date[] = [];
  const renew = store.outbox.renewLease.bind(store.outbox);
  store.outbox.renewLease = async (entry, now) => {
    const until = await renew(entry, now);
    if (until) renewals.push(until);
    return until;
  };
  const chat = 9_100_003;
  fake.sendDelayMs = 400;
  const [entry] = await queued(store, chat, ['slow']);
  await worker(store, { renewMs: 100 }).pass();
  expect(fake.sent(chat)).toHaveLength(1);
  expect(renewals.length).toBeGreaterThanOrEqual(2);
  expect((await store.outbox.get(entry!.id))?.status).toBe('sent');
});

it('sends to different conversations at the same time', async () => {
  const store = new MemoryStore();
  fake.sendDelayMs = 300;
  const chats = [9_100_010, 9_100_011, 9_100_012, 9_100_013];
  for (const chat of chats) await queued(store, chat, ['hello']);
  fake.peakConcurrentSends = 0;
  await worker(store, { concurrency: 4 }).pass();
  for (const chat of chats) expect(fake.sent(chat)).toHaveLength(1);
  expect(fake.peakConcurrentSends).toBe(4);
});

it('sends a conversation backlog one reply after the other under one lease, up to the chain limit', async () => {
  const store = new MemoryStore();
  const chat = 9_100_901;
  await queued(store, chat, ['b1', 'b2', 'b3', 'b4', 'b5']);
  let leases = 0;
  const leaseDue = store.outbox.leaseDue.bind(store.outbox);
  store.outbox.leaseDue = (...args) => {
    leases++;
    return leaseDue(...args);
  };
  const w = worker(store, { chainLimit: 3 });
  // One pass (not started: no polling) leases the conversation once and sends while the next is due.
  expect(await w.pass()).toBe(1);
  expect(leases).toBe(1);
  expect(fake.sent(chat).map((s) => s.body.text)).toEqual(['b1', 'b2', 'b3']);
  // Then the conversation went back to the pool: the next pass takes the rest, still in order.
  expect(await w.pass()).toBe(1);
  expect(fake.sent(chat).map((s) => s.body.text)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
  expect((await store.outbox.summary()).pending).toBe(0);
});

it('does not chain past a reply that waits for its retry', async () => {
  const store = new MemoryStore();
  const chat = 9_100_902;
  fake.http.failNext(textIs('c2'), { status: 502, body: 'Bad Gateway' });
  await queued(store, chat, ['c1', 'c2', 'c3']);
  const w = worker(store);
  expect(await w.pass()).toBe(1);
  // c1 went out, c2 failed once and now waits; c3 must not overtake it.
  expect(fake.sent(chat).map((s) => s.body.text)).toEqual(['c1']);
  expect((await store.outbox.summary()).pending).toBe(2);
  w.start();
  const sent = await fake.waitForSent(chat, 3);
  expect(sent.map((s) => s.body.text)).toEqual(['c1', 'c2', 'c3']);
});
