/**
 * Issue 12 (low): a platform replaying a webhook after retention deleted the original message does
 * not get it stored (and answered) again: the delivery key outlives the message.
 */
import type { Service } from '../../src/main';
import { eraseConversationData } from '../../src/store/conversation-erasure';
import { startService } from '../support/service';
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import { conversationOf, FAST_OUTBOX, postRaw } from '../channels/channel-test-kit';

const TOKEN = '7000000003:AAH-replay_test-abcdefghijklmnopqrst';
const SECRET = 'tg-replay-secret_0123456789';

describe('webhook replays after retention', () => {
  let fake: FakeTelegramServer;
  let service: Service;

  beforeAll(async () => {
    fake = new FakeTelegramServer(TOKEN);
    service = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: await fake.start(), ...FAST_OUTBOX });
  }, 240_000);
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const post = (update: unknown) => postRaw(`${service.url}/webhooks/telegram`, JSON.stringify(update), { 'x-telegram-bot-api-secret-token': SECRET });

  it('does not store a replayed update again once its conversation was deleted by retention', async () => {
    const chat = 5_100_001;
    const update = telegramUpdates.text(chat, 1, '안녕하세요');
    expect((await post(update)).status).toBe(200);
    await fake.waitForSent(chat);
    const conversation = await conversationOf(service, 'telegram', String(chat));

    // What the retention sweep does to an expired conversation.
    await eraseConversationData(service.store, conversation.id);
    await service.store.conversations.delete(conversation.id);
    expect(await service.store.conversations.findOpen('telegram', String(chat))).toBeUndefined();

    // Telegram retries the same update: acknowledged, and nothing is stored (dispatch stores before it acknowledges).
    expect((await post(update)).status).toBe(200);
    expect(await service.store.conversations.findOpen('telegram', String(chat))).toBeUndefined();

    // A new message from the same chat is a new conversation, as always.
    expect((await post(telegramUpdates.text(chat, 2, '버스 시간 알려 주세요'))).status).toBe(200);
    const next = await conversationOf(service, 'telegram', String(chat));
    expect(next.id).not.toBe(conversation.id);
  });
});
