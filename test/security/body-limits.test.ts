/**
 * Issue 12 (high): bodies are limited per route and refused before they cost anything. The app API
 * takes 64 KB (photos go through POST /media), JSON nested deeper than 32 levels is refused before
 * it is parsed on every route, the Bot Framework route refuses a request without a token before it
 * reads the body, and a channel message's text is kept and analysed up to 4,000 characters.
 */
import http from 'node:http';
import type { Service } from '../../src/main';
import { CUT_MARKER, MAX_INBOUND_TEXT } from '../../src/core/inbound-text';
import { startService } from '../support/service';
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import { conversationOf, FAST_OUTBOX, messagesOf, postRaw } from '../channels/channel-test-kit';

const TELEGRAM_TOKEN = '7000000002:AAH-body_limits-abcdefghijklmnopqrst';
const TELEGRAM_SECRET = 'tg-body-limits-secret_0123456789';

/** `{"a": [[[…]]]}` nested `depth` levels. */
const nested = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('request bodies are limited before they are parsed', () => {
  let fake: FakeTelegramServer;
  let service: Service;

  beforeAll(async () => {
    fake = new FakeTelegramServer(TELEGRAM_TOKEN);
    service = await startService({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: await fake.start(),
      MicrosoftAppId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      MicrosoftAppPassword: 'not-a-real-secret~123',
      ...FAST_OUTBOX,
    });
  }, 240_000);
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  it('refuses deeply nested JSON on the app API, the console and a webhook with a clear error', async () => {
    const deep = nested(20_000);
    const app = await postRaw(`${service.url}/api/app/v1/sessions`, deep, { 'content-type': 'application/json' });
    expect(app.status).toBe(400);
    expect(app.text).toMatch(/nested/);

    const console = await postRaw(`${service.url}/api/console/v1/login`, deep, { 'content-type': 'application/json' });
    expect(console.status).toBe(400);
    expect(console.text).toMatch(/nested/);

    const webhook = await postRaw(`${service.url}/webhooks/telegram`, deep, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET });
    expect(webhook.status).toBe(400);
    expect(webhook.text).toMatch(/nested/);

    // Ordinary nesting still works: brackets inside strings do not count.
    const session = await postRaw(`${service.url}/api/app/v1/sessions`, JSON.stringify({ deviceId: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' }), {
      'content-type': 'application/json',
    });
    expect(session.status).toBe(201);
  });

  it('refuses an app API body over 64 KB with 413 naming the limit', async () => {
    const res = await postRaw(`${service.url}/api/app/v1/sessions`, JSON.stringify({ deviceId: 'x'.repeat(70_000) }), { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/at most 65536 bytes/);
  });

  it('answers a Bot Framework request without a token before reading its body', async () => {
    const url = new URL(`${service.url}/api/messages`);
    // Two megabytes announced, one kilobyte sent, and the body never finished: only an answer given
    // on the headers alone can arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(2_000_000) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => reject(new Error('no answer while the body was still coming')));
      req.write('{"type":"message","text":"' + 'a'.repeat(1024));
    });
    expect(status).toBe(401);
  });

  it('keeps the first 4,000 characters of a 100,000-character channel message, marked as cut', async () => {
    const chat = 4_200_001;
    const text = '가'.repeat(100_000);
    const res = await postRaw(`${service.url}/webhooks/telegram`, JSON.stringify(telegramUpdates.text(chat, 1, text)), {
      'x-telegram-bot-api-secret-token': TELEGRAM_SECRET,
    });
    expect(res.status).toBe(200);
    const conversation = await conversationOf(service, 'telegram', String(chat));
    const [inbound] = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound!.content.text).toBe('가'.repeat(MAX_INBOUND_TEXT) + CUT_MARKER);
    // The resident still gets an answer.
    await fake.waitForSent(chat);
  });
});
