/**
 * Telegram end to end: the real service on loopback, webhook POSTs shaped like Telegram's, and a
 * fake Bot API that answers like the real one (including 429 retry_after and 5xx).
 */
import type { Service } from '../../src/main';
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
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

const TOKEN = '7000000001:AAH-test_token-abcdefghijklmnopqrstu';
const SECRET = 'tg-webhook-secret_0123456789';

describe('Telegram channel', () => {
  let fake: FakeTelegramServer;
  let service: Service;
  let chatSeq = 3_100_000;
  const newChat = () => chatSeq++;

  beforeAll(async () => {
    fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    service = await startService({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: apiRoot,
      ...FAST_OUTBOX,
    });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const post = (update: unknown, secret: string | null = SECRET) =>
    postRaw(
      `${service.url}/webhooks/telegram`,
      JSON.stringify(update),
      secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
    );

  it('answers a text message with a sendMessage to the same chat', async () => {
    const chat = newChat();
    const res = await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    expect(res.status).toBe(200);
    const [reply] = await fake.waitForSent(chat);
    expect(reply!.method).toBe('sendMessage');
    // A first hello is answered by the welcome.
    expect(reply!.body.text).toContain('다정');
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({
      channel: 'telegram',
      channelMessageId: `${chat}:1`,
      content: { kind: 'text', text: '안녕하세요' },
    });
  });

  it('refuses a webhook call with a wrong or missing secret token and stores nothing', async () => {
    const chat = newChat();
    expect((await post(telegramUpdates.text(chat, 1, '안녕하세요'), 'wrong-secret')).status).toBe(401);
    expect((await post(telegramUpdates.text(chat, 2, '안녕하세요'), null)).status).toBe(401);
    expect(await service.store.conversations.findOpen('telegram', String(chat))).toBeUndefined();
  });

  it('rejects a body that is not an update with 400', async () => {
    const res = await postRaw(`${service.url}/webhooks/telegram`, '{"hello":', {
      'x-telegram-bot-api-secret-token': SECRET,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation');
  });

  it('processes a redelivered update once', async () => {
    const chat = newChat();
    const update = telegramUpdates.text(chat, 7, '여권 발급 어디서 해요?');
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await fake.waitForSent(chat);
    // A second, different message: once its answer is out, any duplicate turn would have run too.
    await post(telegramUpdates.text(chat, 8, '감사합니다'));
    await fake.waitForSent(chat, 2);
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.channelMessageId)).toEqual([`${chat}:7`, `${chat}:8`]);
    // Every reply went out exactly once: one send per outbox entry, none for the duplicate.
    const entries = await allSent(service, conversation.id);
    expect(fake.sent(chat)).toHaveLength(entries.length);
  });

  it('maps photos (largest size), locations and inline-button presses', async () => {
    const chat = newChat();
    await post(telegramUpdates.photo(chat, 20, '도로에 구멍이 났어요'));
    await post(telegramUpdates.location(chat, 21, 37.2636, 127.0286));
    const callback = telegramUpdates.callback(chat, 'cbq-1', 'intent:counselor_request', [
      { text: '상담사 연결', callback_data: 'intent:counselor_request' },
    ]);
    await post(callback);
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const inbound = await waitUntil(async () => {
      const m = (await messagesOf(service, conversation.id)).filter((x) => x.direction === 'inbound');
      return m.length === 3 && m;
    }, 'three inbound messages');
    expect(inbound[0]!.content).toMatchObject({
      kind: 'image',
      caption: '도로에 구멍이 났어요',
      images: [{ url: 'telegram-file:AgACAgUAAxkBAAIBlarge' }],
    });
    expect(inbound[1]!.content.kind === 'location' && inbound[1]!.content.location).toEqual({ latitude: 37.2636, longitude: 127.0286 });
    expect(inbound[2]!.content).toEqual({ kind: 'button', text: '상담사 연결', payload: 'intent:counselor_request' });
    await fake.http.waitFor(
      (r) =>
        r.path.endsWith('/answerCallbackQuery') &&
        (r.body as { callback_query_id?: string }).callback_query_id === 'cbq-1',
    );
    await waitUntil(
      async () => (await service.store.conversations.get(conversation.id))?.state === 'queued',
      'the button press to queue the chat',
    );
  });

  it('sends quick replies as inline buttons whose callback_data is the payload', async () => {
    const chat = newChat();
    const keyboardOf = (call: { body: Record<string, unknown> }) =>
      (call.body.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    await post(telegramUpdates.text(chat, 1, 'qwpoeiru zxcmvn'));
    // A new chat: the welcome with its starter topics first, then the answer (asking to rephrase).
    const [welcome] = await fake.waitForSent(chat, 2);
    expect(keyboardOf(welcome!).map((b) => [b.text, b.callback_data])).toEqual([
      ['버스 시간', 'intent:transport_schedule'],
      ['도로 파손 신고', 'intent:road_damage_report'],
      ['쓰레기 배출 요일', 'intent:waste_collection'],
      ['상담사 연결', 'intent:counselor_request'],
    ]);
    await post(telegramUpdates.text(chat, 2, 'asdkfj qpwoei'));
    const sent = await fake.waitForSent(chat, 3);
    expect(keyboardOf(sent[2]!).map((b) => b.callback_data)).toContain('intent:counselor_request');
  });

  it('retries a send answered with 5xx and delivers it', async () => {
    const chat = newChat();
    fake.failNext('sendMessage', 502, 2, chat);
    await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    await fake.waitForSent(chat);
    const attempts = fake.http.requests.filter(
      (r) => r.path.endsWith('/sendMessage') && (r.body as { chat_id?: unknown }).chat_id == chat,
    );
    expect(attempts.map((r) => r.reply?.status)).toEqual([502, 502, 200]);
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const [entry] = await waitUntil(async () => {
      const e = await outboxOf(service, conversation.id);
      return e.length > 0 && e.every((x) => x.status === 'sent') && e;
    }, 'the outbox entry to be sent');
    expect(entry!.attempts).toBe(3);
  });

  it('waits as long as a 429 retry_after says before retrying', async () => {
    const chat = newChat();
    fake.rateLimitNext('sendMessage', 1, chat);
    await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    await fake.waitForSent(chat);
    const attempts = fake.http.requests.filter(
      (r) => r.path.endsWith('/sendMessage') && (r.body as { chat_id?: unknown }).chat_id == chat,
    );
    expect(attempts.map((r) => r.reply?.status)).toEqual([429, 200]);
    expect(attempts[1]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('splits an oversize reply into messages of at most 4096 characters, in order, losing nothing', async () => {
    const chat = newChat();
    await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    await fake.waitForSent(chat);
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const before = (await allSent(service, conversation.id)).length;
    const long = longKoreanText(9000);
    await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: long } },
    ]);
    const sent = (await fake.waitForSent(chat, before + 3)).slice(before);
    expect(sent).toHaveLength(3);
    for (const call of sent) expect((call.body.text as string).length).toBeLessThanOrEqual(4096);
    expect(
      sent
        .map((c) => c.body.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(long.replace(/\s+/g, ' '));
  });

  it('resumes a split reply after a failed part without repeating the parts already delivered', async () => {
    const chat = newChat();
    await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const before = (await allSent(service, conversation.id)).length;
    let calls = 0;
    fake.http.failNext(
      (r) =>
        r.path.endsWith('/sendMessage') &&
        String((r.body as { chat_id?: unknown }).chat_id) === String(chat) &&
        ++calls === 2,
      {
        status: 502,
        body: 'Bad Gateway',
      },
    );
    const long = longKoreanText(9000);
    await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: long } },
    ]);
    const sent = (await fake.waitForSent(chat, before + 3)).slice(before);
    expect(
      sent
        .map((c) => c.body.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(long.replace(/\s+/g, ' '));
    const attempts = fake.http.requests.filter(
      (r) =>
        r.path.endsWith('/sendMessage') && String((r.body as { chat_id?: unknown }).chat_id) === String(chat),
    );
    expect(attempts.slice(before).map((r) => r.reply?.status)).toEqual([200, 502, 200, 200]);
  });

  it('keeps a reply to a resident who blocked the bot as failed, with the reason', async () => {
    const chat = newChat();
    fake.blockedChats.add(String(chat));
    await post(telegramUpdates.text(chat, 1, '안녕하세요'));
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const [entry] = await waitUntil(async () => {
      const e = await outboxOf(service, conversation.id);
      return e.length > 0 && e.every((x) => x.status === 'failed') && e;
    }, 'the outbox entry to fail');
    expect(entry!.lastError).toMatch(/blocked/);
    expect(entry!.attempts).toBe(1);
  });

  it('queues an escalated Telegram chat for counselors and delivers the counselor reply', async () => {
    const chat = newChat();
    await post(telegramUpdates.text(chat, 1, '상담사 연결해 주세요'));
    const [welcome, botReply] = await fake.waitForSent(chat, 2);
    expect(welcome!.body.text).toContain('다정');
    expect(botReply!.body.text).toContain('상담사');
    const conversation = await waitUntil(async () => {
      const c = await service.store.conversations.findOpen('telegram', String(chat));
      return c?.state === 'queued' && c;
    }, 'the conversation to be queued');
    expect(conversation).toMatchObject({
      channel: 'telegram',
      externalUserId: String(chat),
      state: 'queued',
      priority: 'request',
    });
    const queue = await service.store.conversations.list({ states: ['queued'] });
    expect(queue.map((c) => [c.id, c.channel])).toContainEqual([conversation.id, 'telegram']);

    const text = '안녕하세요, 상담사 김다정입니다. 무엇을 도와드릴까요?';
    await service.outbound.send(conversation, [{ author: 'counselor', authorId: 'c1', content: { kind: 'text', text } }]);
    await fake.http.waitFor((r) => r.reply?.status === 200 && (r.body as { text?: string }).text === text);
    expect(fake.sent(chat).filter((c) => c.body.text === text)).toEqual([
      { method: 'sendMessage', body: { chat_id: String(chat), text } },
    ]);
  });
});

describe('Telegram channel in polling mode', () => {
  it('reads updates with getUpdates and answers them', async () => {
    const fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const service = await startService({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: apiRoot,
      ...FAST_OUTBOX,
    });
    try {
      expect(service.channels.get('telegram')).toBeDefined();
      fake.queueUpdate(telegramUpdates.text(4_200_001, 1, '안녕하세요'));
      const [reply] = await fake.waitForSent(4_200_001);
      expect(reply!.method).toBe('sendMessage');
      expect(fake.http.requests.some((r) => r.path.endsWith('/deleteWebhook'))).toBe(true);
      // Webhook route is not mounted in polling mode.
      expect((await postRaw(`${service.url}/webhooks/telegram`, '{}')).status).toBe(404);
    } finally {
      await service.close();
      await fake.stop();
    }
  });
});

describe('Telegram channel configuration', () => {
  it('stays disabled without a token, and refuses to start half-configured (webhook mode without a secret)', async () => {
    const none = await startService({});
    try {
      expect(none.channels.get('telegram')).toBeUndefined();
      expect((await postRaw(`${none.url}/webhooks/telegram`, '{}')).status).toBe(404);
    } finally {
      await none.close();
    }
    await expect(startService({ TELEGRAM_BOT_TOKEN: TOKEN })).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('registers the webhook with its secret token when TELEGRAM_WEBHOOK_URL is set', async () => {
    const fake = new FakeTelegramServer(TOKEN);
    const apiRoot = await fake.start();
    const service = await startService({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://chat.gg.go.kr/webhooks/telegram',
    });
    try {
      await fake.http.waitFor('/setWebhook');
      expect(fake.webhook).toEqual({ url: 'https://chat.gg.go.kr/webhooks/telegram', secret_token: SECRET });
    } finally {
      await service.close();
      await fake.stop();
    }
  });

  it('refuses to start with a malformed token', async () => {
    await expect(
      startService({ TELEGRAM_BOT_TOKEN: 'not a token', TELEGRAM_WEBHOOK_SECRET: SECRET }),
    ).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
  });
});
