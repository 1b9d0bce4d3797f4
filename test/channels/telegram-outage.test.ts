/**
 * A Bot API outage (the fake's time window in which every send answers 500 or 429 retry_after):
 * a resident keeps writing, every update is acknowledged and stored, and once the platform recovers
 * each stored reply is delivered exactly once, in the order stored. The minute-long version with
 * the service as a child process is `npm run fault -- platform-outage`.
 */
import type { Service } from '../../src/main';
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import { renderTelegram } from '../../channels/telegram/telegram-render';
import { startService } from '../support/service';
import { allSent, conversationOf, FAST_OUTBOX, messagesOf, postRaw, waitUntil } from './channel-test-kit';

const TOKEN = '7000000001:AAH-outage_token-abcdefghijklmnopq';
const SECRET = 'tg-outage-secret_0123456789';

describe('Telegram Bot API outage', () => {
  let fake: FakeTelegramServer;
  let service: Service;

  beforeAll(async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    service = await startService({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: apiRoot, ...FAST_OUTBOX });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const post = (update: object) =>
    postRaw(`${service.url}/webhooks/telegram`, JSON.stringify(update), { 'x-telegram-bot-api-secret-token': SECRET });
  const sendAttempts = (chat: number) =>
    fake.http.requests.filter((r) => /\/sendMessage$/.test(r.path) && String((r.body as { chat_id?: unknown }).chat_id) === String(chat));

  it('fails every send with 500 or 429 while it lasts, leaves other methods alone, and answers sends again after', async () => {
    fake.startOutage({ rateLimitEvery: 2, retryAfterSeconds: [1, 2] });
    try {
      const api = (method: string, body: object) =>
        fetch(`${fake.http.url}/bot${TOKEN}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const replies = [];
      for (let i = 0; i < 4; i++) {
        const res = await api('sendMessage', { chat_id: 1, text: 'hi' });
        replies.push({ status: res.status, body: (await res.json()) as { ok: boolean; parameters?: { retry_after?: number } } });
      }
      expect(replies.map((r) => r.status)).toEqual([500, 429, 500, 429]);
      expect(replies.map((r) => r.body.ok)).toEqual([false, false, false, false]);
      expect(replies.filter((r) => r.status === 429).map((r) => r.body.parameters?.retry_after)).toEqual([1, 2]);
      expect((await api('getMe', {})).status).toBe(200);
      fake.endOutage();
      expect((await api('sendMessage', { chat_id: 1, text: 'hi' })).status).toBe(200);
    } finally {
      fake.endOutage();
    }
  });

  it('delivers every reply of a conversation written during the outage once, in order, after it ends', async () => {
    const chat = 3_900_001;
    fake.startOutage({ rateLimitEvery: 2, retryAfterSeconds: [1] });
    try {
      for (const [i, text] of ['여권 재발급은 어디서 하나요?', '주민등록등본 인터넷 발급', '음식물 쓰레기 수거 요일'].entries())
        expect((await post(telegramUpdates.text(chat, i + 1, text))).status).toBe(200);
      // Both kinds of refusal reached the outbox before the platform comes back.
      await waitUntil(() => new Set(sendAttempts(chat).map((r) => r.reply?.status)).size === 2, 'a 500 and a 429 for the chat');
    } finally {
      fake.endOutage();
    }
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const entries = await allSent(service, conversation.id);
    expect(entries.some((e) => e.attempts > 1)).toBe(true);
    const stored = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'outbound' && !m.flags?.internal);
    const expected = stored.flatMap((m) => renderTelegram(m.content).map((c) => (c.method === 'sendMessage' ? c.text : c.caption)));
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(fake.sent(chat).map((c) => c.body.text ?? c.body.caption)).toEqual(expected);
  });
});
