/** Starts the whole service on a free loopback port for end-to-end tests. */
import { createService, type Service } from '../../src/main';
import type { Store } from '../../src/core/store-port';
import type { Logger } from '../../src/core/logger-port';

export function silentLogger(): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

export async function startService(env: Record<string, string> = {}, store?: Store): Promise<Service> {
  return createService({
    env: { PORT: '0', HOST: '127.0.0.1', NLU_MODE: 'lexical', LOG_LEVEL: 'silent', ...env },
    logger: process.env.TEST_LOGS ? undefined : silentLogger(),
    store,
  });
}

/** A resident using the app API. */
export class AppClient {
  token = '';
  conversationId = '';
  residentId = '';
  cursor: string | undefined;
  /** What the chat opened with (the welcome and its starter topics), read by `start()`. */
  opening: AppMessage[] = [];

  constructor(readonly baseUrl: string) {}

  async start(body: Record<string, unknown> = { deviceId: 'test-device', locale: 'ko-KR' }) {
    const res = await fetch(`${this.baseUrl}/api/app/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`session: ${res.status} ${await res.text()}`);
    const json = (await res.json()) as { token: string; conversationId: string; residentId: string };
    Object.assign(this, json);
    // The welcome is stored before the session is handed out: read it now, so the cursor is past it
    // and nextReply() returns the answer to the first message.
    this.cursor = undefined;
    this.opening = await this.poll(0);
    return json;
  }

  send(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return fetch(`${this.baseUrl}/api/app/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}`, ...headers },
      body: JSON.stringify(body),
    });
  }

  async say(text: string, extra: Record<string, unknown> = {}) {
    const res = await this.send({ text, clientMessageId: `c-${Math.random().toString(36).slice(2)}`, ...extra });
    if (res.status !== 202) throw new Error(`send: ${res.status} ${await res.text()}`);
    return (await res.json()) as { messageId: string };
  }

  async poll(wait = 5): Promise<AppMessage[]> {
    const q = new URLSearchParams({ wait: String(wait), ...(this.cursor && { after: this.cursor }) });
    const res = await fetch(`${this.baseUrl}/api/app/v1/messages?${q}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (res.status !== 200) throw new Error(`poll: ${res.status} ${await res.text()}`);
    const json = (await res.json()) as { messages: AppMessage[]; cursor: string };
    this.cursor = json.cursor;
    return json.messages;
  }

  /** Polls until a message from someone other than the resident arrives. */
  async nextReply(timeoutMs = 10_000): Promise<AppMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const messages = await this.poll(Math.max(1, Math.ceil((deadline - Date.now()) / 1000)));
      const reply = messages.find((m) => m.author !== 'resident');
      if (reply) return reply;
    }
    throw new Error('no reply in time');
  }
}

export interface AppMessage {
  id: string;
  seq: number;
  author: string;
  direction: string;
  text?: string;
  quickReplies?: { label: string; payload: string }[];
  clientMessageId?: string;
  createdAt: string;
}
