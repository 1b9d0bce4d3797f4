/**
 * With MongoDB (embedded FerretDB here), undelivered replies survive a restart: a Telegram reply
 * that kept failing is sent by the next process, and a KakaoTalk counselor reply stored before the
 * restart is shown with the answer to the resident's next message.
 */
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import { kakaoSkillRequest } from '../../channels/kakao/fake-kakao-server';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { startService } from '../support/service';
import { conversationOf, FAST_OUTBOX, outboxOf, postRaw, waitUntil } from './channel-test-kit';

const TOKEN = '7000000001:AAH-test_token-abcdefghijklmnopqrstu';
const SECRET = 'tg-webhook-secret_0123456789';
const KAKAO_SECRET = 'kakao-skill-secret-0123456789abcdef';

describe('durable delivery across a restart (MongoDB)', () => {
  let db: FerretDB;
  let fake: FakeTelegramServer;
  let apiRoot: string;

  beforeAll(async () => {
    db = await startFerretDB();
    fake = new FakeTelegramServer(TOKEN);
    apiRoot = await fake.start();
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await fake?.stop();
    await db?.stop();
  });

  const env = (dbName: string) => ({
    MONGODB_URI: `mongodb://127.0.0.1:${db.port}/${dbName}`,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: apiRoot,
    KAKAO_SKILL_SECRET: KAKAO_SECRET,
    ...FAST_OUTBOX,
  });

  it('delivers a Telegram reply that failed before the restart', async () => {
    const chat = 6_100_001;
    fake.failNext('sendMessage', 502, 10_000, chat);
    const first = await startService(env('restart-telegram'));
    let second;
    try {
      const res = await postRaw(
        `${first.url}/webhooks/telegram`,
        JSON.stringify(telegramUpdates.text(chat, 1, '안녕하세요')),
        {
          'x-telegram-bot-api-secret-token': SECRET,
        },
      );
      expect(res.status).toBe(200);
      const conversation = await conversationOf(first, 'telegram', String(chat));
      await waitUntil(
        async () =>
          (await outboxOf(first, conversation.id)).some((e) => e.attempts >= 2 && e.status === 'pending'),
        'failed attempts',
      );
      await first.close();
      expect(fake.sent(chat)).toHaveLength(0);

      fake.http.clearScripted();
      second = await startService(env('restart-telegram'));
      const [reply] = await fake.waitForSent(chat);
      expect(reply!.method).toBe('sendMessage');
      const entries = await waitUntil(async () => {
        const e = await outboxOf(second!, conversation.id);
        return e.length > 0 && e.every((x) => x.status === 'sent') && e;
      }, 'the entry to be sent');
      expect(entries[0]!.attempts).toBeGreaterThanOrEqual(3);
    } finally {
      await first.close();
      await second?.close();
    }
  });

  it('shows a KakaoTalk counselor reply stored before the restart with the next answer, once', async () => {
    const user = 'durable-kakao-user-0001';
    const skill = (url: string, utterance: string) =>
      postRaw(
        `${url}/webhooks/kakao/${KAKAO_SECRET}`,
        JSON.stringify(kakaoSkillRequest({ userId: user, utterance })),
      );
    const first = await startService(env('restart-kakao'));
    let second;
    try {
      expect((await skill(first.url, '안녕하세요')).status).toBe(200);
      const conversation = await conversationOf(first, 'kakao', user);
      await first.outbound.send(conversation, [
        { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: '서류 발급은 주민센터에서 가능합니다.' } },
      ]);
      await first.close();

      second = await startService(env('restart-kakao'));
      const texts = (json: { template: { outputs: { simpleText?: { text: string } }[] } }) =>
        json.template.outputs.map((o) => o.simpleText?.text);
      const next = await skill(second.url, '감사합니다');
      expect(texts(next.json)).toContain('서류 발급은 주민센터에서 가능합니다.');
      const again = await skill(second.url, '또 문의드려요');
      expect(texts(again.json)).not.toContain('서류 발급은 주민센터에서 가능합니다.');
    } finally {
      await first.close();
      await second?.close();
    }
  });
});
