/**
 * Telegram through telegraf. Webhook mode verifies the secret token on the raw request, then hands
 * the update to telegraf (`bot.handleUpdate`) whose middleware stores it through the runtime before
 * we answer 200; replies go out through the outbox with telegraf's Bot API client.
 * This is what `bot.webhookCallback(path, {secretToken})` does, minus its Node req/res plumbing:
 * the core gives adapters a framework-free request, and a wrong secret gets our logged 401 instead
 * of falling through to express's 404.
 * Polling mode (`TELEGRAM_MODE=polling`) is for development without a public URL.
 */
import http from 'node:http';
import https from 'node:https';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type {
  ChannelAdapter,
  ChannelRuntime,
  FetchedMedia,
  RawRequest,
  RawResponse,
  SendResult,
  SendTarget,
} from '../../src/core/channel-port';
import { DajeongError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger-port';
import type { Message } from '../../src/core/message';
import { PartProgress } from '../shared/part-progress';
import { networkFailure, permanentFailure, sendFailure } from '../shared/send-errors';
import { errorResponse, parseJsonBody } from '../shared/webhook-utils';
import { telegramConfig, type TelegramConfig } from './telegram-config';
import { renderTelegram, TELEGRAM_CAPABILITIES, type TelegramCall } from './telegram-render';
import { TELEGRAM_FILE_PREFIX, telegramToCanonical } from './telegram-to-canonical';
import { verifyTelegramRequest } from './telegram-verify';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Registry factory: the adapter when TELEGRAM_BOT_TOKEN (and, for webhooks, the secret) is set. */
export function telegramFromEnv(env: NodeJS.ProcessEnv, logger: Logger): TelegramAdapter | undefined {
  const config = telegramConfig(env, logger);
  return config && new TelegramAdapter(config, logger);
}

export class TelegramAdapter implements ChannelAdapter {
  readonly name = 'telegram';
  readonly capabilities = TELEGRAM_CAPABILITIES;
  private readonly bot: Telegraf;
  private readonly progress = new PartProgress();
  private runtime?: ChannelRuntime;
  private log: Logger;
  private polling?: Promise<void>;

  constructor(
    private readonly config: TelegramConfig,
    logger: Logger,
  ) {
    this.log = logger;
    // The trailing slash matters: telegraf resolves `./bot<token>/<method>` against apiRoot.
    const apiRoot = `${config.apiRoot}/`;
    // telegraf's default agent is https-only; a plain-http root (a local fake or proxy) needs an http one.
    const agent = apiRoot.startsWith('http:')
      ? new http.Agent({ keepAlive: true })
      : new https.Agent({ keepAlive: true });
    this.bot = new Telegraf(config.token, { telegram: { apiRoot, webhookReply: false, agent } });
    // telegraf needs botInfo before it handles an update and would otherwise call getMe first,
    // making the storing of a resident's message depend on the Bot API being up. The token starts
    // with the bot's id; getMe fills in the rest in the background.
    this.bot.botInfo = {
      id: Number(config.token.split(':')[0]),
      is_bot: true,
      first_name: 'bot',
      username: '',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    this.bot.use(async (ctx) => this.onUpdate(ctx.update));
    this.bot.catch((err) => {
      // Webhook: rethrow so we answer 5xx and Telegram redelivers. Polling: a throw would stop the loop.
      if (this.config.mode === 'webhook') throw err;
      this.log.error({ err }, 'could not take a Telegram update (polling)');
    });
  }

  async start(runtime: ChannelRuntime): Promise<void> {
    this.runtime = runtime;
    this.log = runtime.logger;
    if (this.config.mode === 'polling') {
      this.log.warn('Telegram long polling (development mode); use a webhook in production');
      this.polling = this.bot.launch().catch((err) => this.log.error({ err }, 'Telegram polling stopped'));
      return;
    }
    runtime.route('post', TELEGRAM_WEBHOOK_PATH, (req) => this.onWebhook(req));
    void this.bot.telegram.getMe().then(
      (me) => {
        this.bot.botInfo = me;
        this.log.info({ username: me.username }, 'Telegram bot identified');
      },
      (err) =>
        this.log.warn(
          { err: String(err) },
          'Telegram getMe failed; check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT',
        ),
    );
    if (this.config.webhookUrl) void this.registerWebhook(this.config.webhookUrl);
  }

  async send(target: SendTarget, messages: Message[]): Promise<SendResult> {
    const ids: string[] = [];
    for (const message of messages) {
      const calls = renderTelegram(message.content);
      ids.push(
        ...(await this.progress.run(message.id, calls, (call) => this.call(target.externalUserId, call))),
      );
    }
    return { channelMessageIds: ids };
  }

  /**
   * Downloads a resident's photo (`telegram-file:<file_id>`) through getFile. The download URL holds
   * the bot token, so it never leaves this method: callers get the bytes only.
   */
  async fetchMedia(ref: string, maxBytes: number): Promise<FetchedMedia | undefined> {
    if (!ref.startsWith(TELEGRAM_FILE_PREFIX)) return undefined;
    const fileId = ref.slice(TELEGRAM_FILE_PREFIX.length);
    let link: URL;
    try {
      const file = await this.bot.telegram.getFile(fileId);
      if (file.file_size !== undefined && file.file_size > maxBytes) throw new DajeongError('validation', `The Telegram file is larger than ${maxBytes} bytes.`);
      link = await this.bot.telegram.getFileLink(file);
    } catch (err) {
      if (err instanceof DajeongError) throw err;
      throw telegramSendError(err);
    }
    const res = await fetch(link, { signal: AbortSignal.timeout(15_000) }).catch((err: unknown) => {
      throw networkFailure('telegram', err);
    });
    if (!res.ok) throw sendFailure('telegram', res.status, `file download failed (${res.status})`, {});
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes) throw new DajeongError('validation', `The Telegram file is larger than ${maxBytes} bytes.`);
    // Telegram stores photos as JPEG; the caller checks the bytes anyway.
    return { bytes, mimeType: 'image/jpeg' };
  }

  async stop(): Promise<void> {
    if (!this.polling) return;
    let settled = false;
    void this.polling.finally(() => (settled = true));
    // bot.stop() throws while launch() is still connecting (getMe/deleteWebhook): try until it takes.
    for (let i = 0; i < 100 && !settled; i++) {
      try {
        this.bot.stop('shutdown');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await Promise.race([this.polling, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private async onWebhook(req: RawRequest): Promise<RawResponse> {
    if (!verifyTelegramRequest(req, this.config.webhookSecret ?? '')) {
      this.log.warn({ ip: req.ip }, 'rejected a Telegram webhook call: missing or wrong secret token');
      return errorResponse(401, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    const update = parseJsonBody(req) as Update | undefined;
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
      this.log.warn('rejected a Telegram webhook call: body is not an update');
      return errorResponse(400, 'validation', 'body is not a Telegram update');
    }
    try {
      await this.bot.handleUpdate(update);
    } catch (err) {
      this.log.error(
        { err, updateId: update.update_id },
        'could not store a Telegram update; Telegram will redeliver it',
      );
      return errorResponse(503, 'unavailable', 'try again later');
    }
    return { status: 200, body: { ok: true } };
  }

  /** telegraf middleware: store the update as a resident message (dedupe by message id). */
  private async onUpdate(update: Update): Promise<void> {
    const parsed = telegramToCanonical(update);
    if ('skip' in parsed) {
      this.log.debug({ updateId: update.update_id, reason: parsed.skip }, 'Telegram update ignored');
      return;
    }
    if (!this.runtime) throw new Error('Telegram adapter not started');
    await this.runtime.dispatch(parsed.inbound);
    if (parsed.callbackQueryId) {
      // Stops the button's loading spinner; not worth delaying the webhook answer for.
      void this.bot.telegram
        .answerCbQuery(parsed.callbackQueryId)
        .catch((err) => this.log.warn({ err: String(err) }, 'answerCallbackQuery failed'));
    }
  }

  private async registerWebhook(url: string): Promise<void> {
    try {
      await this.bot.telegram.setWebhook(url, {
        secret_token: this.config.webhookSecret,
        allowed_updates: ['message', 'callback_query'],
      });
      this.log.info({ url }, 'Telegram webhook registered');
    } catch (err) {
      this.log.error(
        { err: String(err), url },
        'Telegram setWebhook failed; register it by hand (docs/channels.md)',
      );
    }
  }

  private async call(chatId: string, call: TelegramCall): Promise<string[]> {
    try {
      const sent =
        call.method === 'sendPhoto'
          ? await this.bot.telegram.sendPhoto(
              chatId,
              call.photo,
              call.caption ? { caption: call.caption } : {},
            )
          : await this.bot.telegram.sendMessage(
              chatId,
              call.text,
              call.replyMarkup ? { reply_markup: call.replyMarkup } : {},
            );
      return [String(sent.message_id)];
    } catch (err) {
      throw telegramSendError(err);
    }
  }
}

/** Maps telegraf errors: 429 carries parameters.retry_after; 403 means the resident blocked the bot. */
export function telegramSendError(err: unknown): DajeongError {
  if (err instanceof TelegramError) {
    const retryAfter = err.parameters?.retry_after;
    if (err.code === 403)
      return permanentFailure('telegram', err.description, 'blocked_by_user', { status: 403 });
    return sendFailure('telegram', err.code, err.description, {
      retryAfterMs: typeof retryAfter === 'number' ? retryAfter * 1000 : undefined,
    });
  }
  return networkFailure('telegram', err);
}
