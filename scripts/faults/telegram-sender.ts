/**
 * A steady sender of Telegram webhook updates for the platform-outage fault script: several private
 * chats, each POSTing one text message every `intervalMs` to the webhook the service registered
 * with the (fake) Bot API, with the secret token Telegram sends. Like Telegram, an update not
 * answered 200 is delivered again (same update, same message id) before that chat's next one.
 */
import { performance } from 'node:perf_hooks';
import type { Update } from 'telegraf/types';
import { GATEWAY_MESSAGES } from '../../bench/gateway-messages';
import { telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import { TELEGRAM_SECRET_HEADER } from '../../channels/telegram/telegram-verify';

/** An update the service acknowledged with 200. */
export interface AckedUpdate {
  chatId: number;
  messageId: number;
  updateId: number;
  /** When the 200 arrived. */
  at: number;
  /** How long the service took to answer that delivery, in ms. */
  answerMs: number;
}

/** Where the updates go: the webhook registered by setWebhook. */
export interface WebhookTarget {
  url: string;
  secretToken: string;
}

/** First chat id; private chat ids are the user's id, positive. */
const FIRST_CHAT_ID = 7_100_000_001;
/** Redeliveries of one update are spaced like this (Telegram backs off too). */
const REDELIVER_MS = 1000;

export class TelegramSender {
  readonly acked: AckedUpdate[] = [];
  readonly failures = new Map<string, number>();
  /** Deliveries of an update that had been refused before. */
  redeliveries = 0;
  private running = false;
  private loops: Promise<void>[] = [];
  private n = 0;

  constructor(
    private readonly target: WebhookTarget,
    private readonly chats = 6,
    private readonly intervalMs = 500,
  ) {}

  /** The chat ids the sender writes from. */
  chatIds(): number[] {
    return Array.from({ length: this.chats }, (_, i) => FIRST_CHAT_ID + i);
  }

  start(): void {
    this.running = true;
    this.loops = this.chatIds().map((chatId, i) => this.loop(chatId, i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(chatId: number, i: number): Promise<void> {
    await new Promise((res) => setTimeout(res, (i * this.intervalMs) / this.chats)); // spread the chats
    let messageId = 1;
    while (this.running) {
      const text = GATEWAY_MESSAGES[this.n++ % GATEWAY_MESSAGES.length]!;
      const update = telegramUpdates.text(chatId, messageId++, text, i % 2 ? 'en' : 'ko');
      // Telegram retries an update until it gets 200; so does this sender, while it runs.
      for (let attempt = 0; this.running || attempt === 0; attempt++) {
        if (attempt > 0) {
          this.redeliveries++;
          await new Promise((res) => setTimeout(res, REDELIVER_MS));
        }
        if (await this.deliver(chatId, update)) break;
      }
      await new Promise((res) => setTimeout(res, this.intervalMs));
    }
  }

  /** POSTs the update as Telegram does; true when the service answered 200. */
  private async deliver(chatId: number, update: Update): Promise<boolean> {
    const started = performance.now();
    try {
      const res = await fetch(this.target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: this.target.secretToken },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(20_000),
      });
      await res.arrayBuffer();
      if (res.status === 200) {
        const messageId = 'message' in update ? update.message.message_id : -1;
        this.acked.push({ chatId, messageId, updateId: update.update_id, at: Date.now(), answerMs: performance.now() - started });
        return true;
      }
      this.failure(`HTTP ${res.status}`);
    } catch (err) {
      this.failure((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection error');
    }
    return false;
  }

  private failure(kind: string): void {
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
  }
}
