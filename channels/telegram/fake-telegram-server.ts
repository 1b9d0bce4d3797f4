/**
 * Test support: a local Telegram Bot API (`/bot<token>/<method>`) answering like the real one:
 * `{ok, result}` envelopes, 401 for a wrong token, 400 descriptions for invalid calls (text over
 * 4096, caption over 1024, callback_data over 64 bytes), 403 for a chat that blocked the bot,
 * scripted 429 (`parameters.retry_after`) and 5xx, an outage window in which every send fails,
 * and long-polling getUpdates.
 * Also builds realistic update payloads for webhook tests.
 */
import type { Update } from 'telegraf/types';
import { FakeHttpServer, type FakeReply, type RecordedRequest } from '../shared/fake-http-server';

const BOT = {
  id: 7000000001,
  is_bot: true,
  first_name: 'Dajeong',
  username: 'dajeong120_bot',
  can_join_groups: false,
};

/** How the Bot API answers send methods during an outage (see FakeTelegramServer.startOutage). */
export interface TelegramOutage {
  /** Every how many failed sends one is a 429 (the others are 500); 2 alternates them. */
  rateLimitEvery: number;
  /** retry_after values handed out in turn with the 429s, in seconds. */
  retryAfterSeconds: readonly number[];
}

/** What the fake answered to send methods during outages so far. */
export interface OutageCounts {
  serverErrors: number;
  rateLimited: number;
}

export interface SentTelegramCall {
  method: string;
  body: Record<string, unknown>;
}

export class FakeTelegramServer {
  readonly http: FakeHttpServer;
  /** Chats whose user blocked the bot: sends to them get 403. */
  readonly blockedChats = new Set<string>();
  webhook?: { url: string; secret_token?: string };
  /** Milliseconds every sendMessage/sendPhoto takes before it answers (a slow platform). */
  sendDelayMs = 0;
  /**
   * Sends that arrived while another send to the same chat was still being answered: a sender
   * that keeps one chat's replies in order never does that.
   */
  overlappingSends = 0;
  /** The most sends (to any chats) being answered at the same time. */
  peakConcurrentSends = 0;
  /** Send calls refused by outages so far. */
  readonly outageCounts: OutageCounts = { serverErrors: 0, rateLimited: 0 };
  private outage?: TelegramOutage;
  private readonly sendingTo = new Map<string, number>();
  private sending = 0;
  private nextMessageId = 5000;
  private readonly updates: Update[] = [];
  private readonly pollWaiters = new Set<() => void>();

  constructor(readonly token: string) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  /** Starts the server; returns the apiRoot to configure (TELEGRAM_API_ROOT). */
  start(): Promise<string> {
    return this.http.start();
  }

  async stop(): Promise<void> {
    for (const wake of this.pollWaiters) wake();
    await this.http.stop();
  }

  /** Successful sendMessage/sendPhoto calls, oldest first. */
  sent(chatId?: string | number): SentTelegramCall[] {
    return this.http.requests
      .filter((r) => r.reply?.status === 200 && /\/(sendMessage|sendPhoto)$/i.test(r.path))
      .map((r) => ({ method: r.path.split('/').pop()!, body: r.body as Record<string, unknown> }))
      .filter((c) => chatId === undefined || String(c.body.chat_id) === String(chatId));
  }

  /** Waits until at least `count` successful sends to the chat were received. */
  async waitForSent(chatId: string | number, count = 1, timeoutMs = 10_000): Promise<SentTelegramCall[]> {
    await this.http.waitFor(
      (r) =>
        r.reply?.status === 200 &&
        /\/(sendMessage|sendPhoto)$/i.test(r.path) &&
        String((r.body as { chat_id?: unknown })?.chat_id) === String(chatId),
      timeoutMs,
      count,
    );
    return this.sent(chatId);
  }

  /** Answers the next call of `method` (to `chatId`, or any chat) with a 429 carrying retry_after, as Telegram does. */
  rateLimitNext(method: string, retryAfterSeconds: number, chatId?: string | number): void {
    this.http.failNext(callTo(method, chatId), {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfterSeconds}`,
        parameters: { retry_after: retryAfterSeconds },
      },
    });
  }

  /** Answers the next calls of `method` (to `chatId`, or any chat) with a server error, as during an outage. */
  failNext(method: string, status = 502, times = 1, chatId?: string | number): void {
    const reply: FakeReply = {
      status,
      body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
    };
    for (let i = 0; i < times; i++) this.http.failNext(callTo(method, chatId), reply);
  }

  /**
   * Until endOutage(), every send method (sendMessage, sendPhoto, ...; not getMe, setWebhook or
   * getUpdates) fails as during a Bot API incident: mostly 500 `Internal Server Error`, and every
   * `rateLimitEvery`-th call a 429 whose `parameters.retry_after` cycles through `retryAfterSeconds`.
   * Nothing is delivered meanwhile.
   */
  startOutage(outage: TelegramOutage = { rateLimitEvery: 2, retryAfterSeconds: [5] }): void {
    if (outage.rateLimitEvery < 1 || !outage.retryAfterSeconds.length) throw new Error('invalid outage');
    this.outage = outage;
  }

  /** The Bot API answers sends normally again. */
  endOutage(): void {
    this.outage = undefined;
  }

  /** Queues an update for getUpdates (polling mode). */
  queueUpdate(update: Update): void {
    this.updates.push(update);
    for (const wake of this.pollWaiters) wake();
  }

  /**
   * Makes a file the Bot API can serve: getFile answers its file_path, and
   * GET /file/bot<token>/<file_path> downloads the bytes (only with the right token), as on Telegram.
   */
  addFile(fileId: string, bytes: Buffer, filePath = `photos/file_${this.files.size}.jpg`): void {
    this.files.set(fileId, { path: filePath, bytes });
  }

  private readonly files = new Map<string, { path: string; bytes: Buffer }>();

  private async handle(req: RecordedRequest): Promise<FakeReply> {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.path);
    if (download) {
      const file = [...this.files.values()].find((f) => f.path === download[2]);
      if (download[1] !== this.token || !file) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      return { status: 200, body: file.bytes };
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.path);
    if (!match) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    if (match[1] !== this.token)
      return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const body = (req.body ?? Object.fromEntries(req.query)) as Record<string, unknown>;
    if (this.outage && /^send/i.test(match[2]!)) return this.outageReply(this.outage);
    // Bot API method names are case-insensitive.
    switch (match[2]!.toLowerCase()) {
      case 'getme':
        return ok(BOT);
      case 'setwebhook':
        this.webhook = { url: String(body.url), secret_token: body.secret_token as string | undefined };
        return ok(true);
      case 'deletewebhook':
        this.webhook = undefined;
        return ok(true);
      case 'answercallbackquery':
        return body.callback_query_id
          ? ok(true)
          : bad('Bad Request: query is too old and response timeout expired or query ID is invalid');
      case 'sendmessage':
        return this.slowly(body, () => this.sendMessage(body));
      case 'sendphoto':
        return this.slowly(body, () => this.sendPhoto(body));
      case 'getfile': {
        const file = this.files.get(String(body.file_id ?? ''));
        if (!file) return bad('Bad Request: invalid file_id');
        return ok({ file_id: body.file_id, file_unique_id: `u-${String(body.file_id)}`, file_size: file.bytes.length, file_path: file.path });
      }
      case 'getupdates':
        return this.getUpdates(body);
      default:
        return {
          status: 404,
          body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
        };
    }
  }

  private outageReply(outage: TelegramOutage): FakeReply {
    const n = this.outageCounts.serverErrors + this.outageCounts.rateLimited;
    if ((n + 1) % outage.rateLimitEvery === 0) {
      const retryAfter = outage.retryAfterSeconds[this.outageCounts.rateLimited++ % outage.retryAfterSeconds.length]!;
      return {
        status: 429,
        body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } },
      };
    }
    this.outageCounts.serverErrors++;
    return { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
  }

  /** Answers a send after sendDelayMs, counting sends that overlap another to the same chat. */
  private async slowly(body: Record<string, unknown>, answer: () => FakeReply): Promise<FakeReply> {
    const chat = String(body.chat_id);
    const busy = this.sendingTo.get(chat) ?? 0;
    if (busy > 0) this.overlappingSends++;
    this.sendingTo.set(chat, busy + 1);
    this.peakConcurrentSends = Math.max(this.peakConcurrentSends, ++this.sending);
    try {
      if (this.sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sendDelayMs));
      return answer();
    } finally {
      this.sending--;
      const left = (this.sendingTo.get(chat) ?? 1) - 1;
      if (left > 0) this.sendingTo.set(chat, left);
      else this.sendingTo.delete(chat);
    }
  }

  private sendMessage(body: Record<string, unknown>): FakeReply {
    if (body.chat_id === undefined || body.chat_id === '') return bad('Bad Request: chat_id is empty');
    if (this.blockedChats.has(String(body.chat_id))) return forbidden();
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text.trim()) return bad('Bad Request: message text is empty');
    if (text.length > 4096) return bad('Bad Request: message is too long');
    const markupError = checkMarkup(body.reply_markup);
    if (markupError) return bad(markupError);
    return ok(
      this.message(body.chat_id, { text, ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}) }),
    );
  }

  private sendPhoto(body: Record<string, unknown>): FakeReply {
    if (body.chat_id === undefined) return bad('Bad Request: chat_id is empty');
    if (this.blockedChats.has(String(body.chat_id))) return forbidden();
    if (typeof body.photo !== 'string' || !body.photo)
      return bad('Bad Request: there is no photo in the request');
    if (typeof body.caption === 'string' && body.caption.length > 1024)
      return bad('Bad Request: message caption is too long');
    const photo = [{ file_id: `AgAC-${this.nextMessageId}`, file_unique_id: 'u1', width: 1280, height: 960 }];
    return ok(this.message(body.chat_id, { photo, ...(body.caption ? { caption: body.caption } : {}) }));
  }

  private async getUpdates(body: Record<string, unknown>): Promise<FakeReply> {
    const offset = Number(body.offset ?? 0);
    const timeoutS = Number(body.timeout ?? 0);
    const pick = () => this.updates.filter((u) => u.update_id >= offset).slice(0, Number(body.limit ?? 100));
    if (!pick().length && timeoutS > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.pollWaiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, timeoutS * 1000);
        this.pollWaiters.add(wake);
      });
    }
    return ok(pick());
  }

  private message(chatId: unknown, fields: Record<string, unknown>) {
    return {
      message_id: this.nextMessageId++,
      from: BOT,
      chat: { id: Number(chatId), first_name: 'Resident', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...fields,
    };
  }
}

function callTo(method: string, chatId: string | number | undefined) {
  return (r: RecordedRequest) =>
    r.path.toLowerCase().endsWith(`/${method.toLowerCase()}`) &&
    (chatId === undefined ||
      String((r.body as { chat_id?: unknown } | undefined)?.chat_id) === String(chatId));
}

function checkMarkup(markup: unknown): string | undefined {
  const rows = (
    markup as { inline_keyboard?: { text?: string; callback_data?: string; url?: string }[][] } | undefined
  )?.inline_keyboard;
  for (const row of rows ?? []) {
    for (const button of row) {
      if (!button.text) return 'Bad Request: text buttons are unallowed in the inline keyboard';
      if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
        return 'Bad Request: BUTTON_DATA_INVALID';
      if (button.callback_data === undefined && !button.url)
        return "Bad Request: can't parse inline keyboard button";
    }
  }
  return undefined;
}

const ok = (result: unknown): FakeReply => ({ status: 200, body: { ok: true, result } });
const bad = (description: string): FakeReply => ({
  status: 400,
  body: { ok: false, error_code: 400, description },
});
const forbidden = (): FakeReply => ({
  status: 403,
  body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
});

let updateSeq = 900_000_000;
const from = (chatId: number, languageCode = 'ko') => ({
  id: chatId,
  is_bot: false,
  first_name: '민지',
  last_name: '김',
  language_code: languageCode,
});
const chat = (chatId: number) => ({
  id: chatId,
  first_name: '민지',
  last_name: '김',
  type: 'private' as const,
});

/** Realistic update builders, shaped like the updates Telegram POSTs. */
export const telegramUpdates = {
  text(chatId: number, messageId: number, text: string, languageCode = 'ko'): Update {
    return {
      update_id: updateSeq++,
      message: {
        message_id: messageId,
        from: from(chatId, languageCode),
        chat: chat(chatId),
        date: Math.floor(Date.now() / 1000),
        text,
      },
    } as Update;
  },
  photo(chatId: number, messageId: number, caption?: string): Update {
    return {
      update_id: updateSeq++,
      message: {
        message_id: messageId,
        from: from(chatId),
        chat: chat(chatId),
        date: Math.floor(Date.now() / 1000),
        photo: [
          {
            file_id: 'AgACAgUAAxkBAAIBsmall',
            file_unique_id: 'AQADs',
            file_size: 1200,
            width: 90,
            height: 67,
          },
          {
            file_id: 'AgACAgUAAxkBAAIBmedium',
            file_unique_id: 'AQADm',
            file_size: 16000,
            width: 320,
            height: 240,
          },
          {
            file_id: 'AgACAgUAAxkBAAIBlarge',
            file_unique_id: 'AQADl',
            file_size: 98000,
            width: 1280,
            height: 960,
          },
        ],
        ...(caption ? { caption } : {}),
      },
    } as Update;
  },
  location(chatId: number, messageId: number, latitude: number, longitude: number): Update {
    return {
      update_id: updateSeq++,
      message: {
        message_id: messageId,
        from: from(chatId),
        chat: chat(chatId),
        date: Math.floor(Date.now() / 1000),
        location: { latitude, longitude },
      },
    } as Update;
  },
  callback(
    chatId: number,
    queryId: string,
    data: string,
    buttons: { text: string; callback_data: string }[],
  ): Update {
    return {
      update_id: updateSeq++,
      callback_query: {
        id: queryId,
        from: from(chatId),
        chat_instance: '-8812345678901234567',
        data,
        message: {
          message_id: 4242,
          from: BOT,
          chat: chat(chatId),
          date: Math.floor(Date.now() / 1000),
          text: '…',
          reply_markup: { inline_keyboard: buttons.map((b) => [b]) },
        },
      },
    } as Update;
  },
};
