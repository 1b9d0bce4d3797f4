/**
 * Exactly-once, ordered delivery with two workers (two instances) on stock FerretDB: with every
 * Telegram send taking 2 s, 100 replies to 20 residents arrive exactly once each and in order per
 * chat, and no chat ever gets two sends at once. Real HTTP to the fake Bot API, real adapters.
 */
import { TelegramAdapter } from '../../channels/telegram/telegram-adapter';
import { FakeTelegramServer } from '../../channels/telegram/fake-telegram-server';
import type { ChannelAdapter } from '../../src/core/channel-port';
import type { Store } from '../../src/core/store-port';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { ChannelDirectory } from '../../src/turn/channel-directory';
import { OutboxWorker } from '../../src/turn/outbox-worker';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { silentLogger } from '../support/service';

const TOKEN = '7000000001:AAH-test-token';
const RESIDENTS = 20;
const REPLIES_EACH = 5;

let db: FerretDB;
let fake: FakeTelegramServer;
let apiRoot: string;
beforeAll(async () => {
  // Stock FerretDB: conditional updates are not atomic, so only unique keys may arbitrate.
  db = await startFerretDB({ serialize: false });
  fake = new FakeTelegramServer(TOKEN);
  apiRoot = await fake.start();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await fake?.stop();
  await db?.stop();
});

/** One service instance's delivery side: its own store connection, adapter and worker. */
async function instance(uri: string) {
  const store = await MongoStore.connect(uri);
  const telegram = new TelegramAdapter({ token: TOKEN, apiRoot, mode: 'webhook', webhookSecret: 'secret' }, silentLogger());
  let sends = 0;
  const counted: ChannelAdapter = {
    name: telegram.name,
    capabilities: telegram.capabilities,
    start: (runtime) => telegram.start(runtime),
    stop: () => telegram.stop(),
    send: (target, messages) => {
      sends++;
      return telegram.send(target, messages);
    },
  };
  const channels = new ChannelDirectory();
  channels.add(counted);
  const worker = new OutboxWorker(store, channels, silentLogger(), { pollMs: 100 });
  return { store, worker, sends: () => sends };
}

async function replyTo(store: Store, chatId: number, conversationId: string, residentId: string, text: string) {
  const { message } = await store.messages.append({
    conversationId,
    residentId,
    channel: 'telegram',
    direction: 'outbound',
    author: 'bot',
    content: { text },
  });
  await store.outbox.enqueue({ messageId: message.id, conversationId, channel: 'telegram', externalUserId: String(chatId) });
}

it('delivers 100 replies to 20 residents exactly once each and in order, with 2 s sends and two workers', async () => {
  fake.sendDelayMs = 2_000;
  const uri = db.uri.replace(/\/[^/]*$/, '/outbox-acceptance');
  const [a, b] = [await instance(uri), await instance(uri)];
  try {
    a.worker.start();
    b.worker.start();
    const chats = Array.from({ length: RESIDENTS }, (_, i) => 8_100_000 + i);
    const conversations = [];
    for (const chat of chats) {
      const resident = await a.store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: String(chat) });
      conversations.push(
        await a.store.conversations.create({ residentId: resident.id, channel: 'telegram', externalUserId: String(chat), language: 'ko', state: 'bot', priority: 'normal' }),
      );
    }
    // Replies are produced on both instances while sending is already under way.
    for (let k = 1; k <= REPLIES_EACH; k++) {
      await Promise.all(
        conversations.map((c, i) => {
          const side = (i + k) % 2 === 0 ? a : b;
          return replyTo(side.store, chats[i]!, c.id, c.residentId, `reply ${k} to ${chats[i]}`).then(() => side.worker.kick());
        }),
      );
    }

    await fake.http.waitFor((r) => r.path.endsWith('/sendMessage') && r.reply?.status === 200, 120_000, RESIDENTS * REPLIES_EACH);
    // Every entry is marked sent in the store too (the last marks land after the last answers).
    for (let pending = 1; pending > 0; ) {
      pending = (await a.store.outbox.listByStatus('pending', 1)).length;
      if (pending) await new Promise((r) => setTimeout(r, 100));
    }

    for (const chat of chats) {
      const texts = fake.sent(chat).map((c) => c.body.text);
      expect(texts).toEqual(Array.from({ length: REPLIES_EACH }, (_, k) => `reply ${k + 1} to ${chat}`));
    }
    const calls = fake.http.requests.filter((r) => r.path.endsWith('/sendMessage'));
    expect(calls).toHaveLength(RESIDENTS * REPLIES_EACH);
    expect(fake.overlappingSends).toBe(0);
    expect((await a.store.outbox.listByStatus('sent', 1_000)).length).toBe(RESIDENTS * REPLIES_EACH);
    // Both instances took part.
    expect(a.sends()).toBeGreaterThan(0);
    expect(b.sends()).toBeGreaterThan(0);
  } finally {
    await Promise.all([a.worker.stop(), b.worker.stop()]);
    await Promise.all([a.store.close(), b.store.close()]);
    fake.sendDelayMs = 0;
  }
}, 180_000);
