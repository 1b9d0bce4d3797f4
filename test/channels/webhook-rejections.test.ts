/** Every adapter logs the requests it refuses, so operators can see probing or a wrong secret. */
import { createService, type Service } from '../../src/main';
import type { Logger } from '../../src/core/logger-port';
import { kakaoSkillRequest } from '../../channels/kakao/fake-kakao-server';
import { postRaw } from './channel-test-kit';

interface LogRecord {
  level: string;
  bindings: Record<string, unknown>;
  obj: unknown;
  msg?: string;
}

function recordingLogger(records: LogRecord[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object | string, msg?: string) =>
    void records.push({ level, bindings, obj, msg });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b) => recordingLogger(records, { ...bindings, ...b }),
  };
}

describe('webhook rejections', () => {
  const records: LogRecord[] = [];
  let service: Service;

  beforeAll(async () => {
    service = await createService({
      logger: recordingLogger(records),
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        NLU_MODE: 'lexical',
        TELEGRAM_BOT_TOKEN: '7000000001:AAH-test_token-abcdefghijklmnopqrstu',
        TELEGRAM_WEBHOOK_SECRET: 'tg-secret-0123456789',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        MESSENGER_PAGE_TOKEN: 'EAAGm0PX4ZCpsBAKtestpagetoken123',
        MESSENGER_APP_SECRET: 'messenger-app-secret-0123456789',
        MESSENGER_VERIFY_TOKEN: 'dajeong-verify-token',
        X_CONSUMER_KEY: 'ck',
        X_CONSUMER_SECRET: 'consumer-secret-0123456789',
        X_ACCESS_TOKEN: 'at',
        X_ACCESS_SECRET: 'as',
        KAKAO_SKILL_SECRET: 'kakao-skill-secret-0123456789abcdef',
        MicrosoftAppId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        MicrosoftAppPassword: 'not-a-real-secret~123',
      },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuses each platform’s unauthenticated request with its status and logs a warning per channel', async () => {
    const body = JSON.stringify({
      update_id: 1,
      message: { message_id: 1, chat: { id: 1, type: 'private' }, date: 0, text: 'hi' },
    });
    const statuses = {
      telegram: (
        await postRaw(`${service.url}/webhooks/telegram`, body, {
          'x-telegram-bot-api-secret-token': 'wrong',
        })
      ).status,
      messenger: (
        await postRaw(`${service.url}/webhooks/messenger`, JSON.stringify({ object: 'page', entry: [] }), {
          'x-hub-signature-256': 'sha256=00',
        })
      ).status,
      x: (
        await postRaw(`${service.url}/webhooks/x`, JSON.stringify({ for_user_id: '1' }), {
          'x-twitter-webhooks-signature': 'sha256=AA==',
        })
      ).status,
      kakao: (
        await postRaw(
          `${service.url}/webhooks/kakao/wrong-secret-value-000000`,
          JSON.stringify(kakaoSkillRequest({ userId: 'u', utterance: 'hi' })),
        )
      ).status,
      botframework: (
        await postRaw(
          `${service.url}/api/messages`,
          JSON.stringify({
            type: 'message',
            id: '1',
            serviceUrl: 'http://127.0.0.1:9/',
            channelId: 'webchat',
            conversation: { id: 'c' },
            from: { id: 'u' },
            recipient: { id: 'b' },
            text: 'hi',
          }),
        )
      ).status,
    };
    expect(statuses).toEqual({ telegram: 401, messenger: 401, x: 401, kakao: 404, botframework: 401 });
    const warned = new Set(
      records.filter((r) => r.level === 'warn' && /reject/.test(r.msg ?? '')).map((r) => r.bindings.channel),
    );
    expect([...warned].sort()).toEqual(['botframework', 'kakao', 'messenger', 'telegram', 'x']);
    expect(await service.store.conversations.list({})).toEqual([]);
  });
});
