/** Helpers for the knowledge-base tests: a resident on the app API that waits for each turn, and admin calls. */
import type { Service } from '../../src/main';
import { eventually } from '../console/console-client';
import { AppClient, type AppMessage } from '../support/service';

export const ADMIN_TOKEN = 'kb-admin-token-for-tests';

/** A resident using the app API; `send` returns the bot's replies to exactly that message. */
export class Resident {
  readonly app: AppClient;
  /** Everything received so far, in order. */
  readonly received: AppMessage[] = [];
  private n = 0;

  constructor(readonly service: Service) {
    this.app = new AppClient(service.url);
  }

  async start(locale = 'ko-KR'): Promise<this> {
    await this.app.start({ deviceId: `kb-${Math.random().toString(36).slice(2)}`, locale });
    return this;
  }

  get conversationId(): string {
    return this.app.conversationId;
  }

  /** Sends a message, waits until its bot turn has finished, and returns what came back. */
  async send(body: Record<string, unknown>): Promise<AppMessage[]> {
    const res = await this.app.send({ clientMessageId: `kb-${++this.n}-${Date.now()}`, ...body });
    if (res.status !== 202) throw new Error(`send: ${res.status} ${await res.text()}`);
    const { messageId } = (await res.json()) as { messageId: string };
    await eventually(
      async () => Boolean((await this.service.store.messages.get(messageId))?.handledAt),
      10_000,
      'turn handled',
    );
    const replies = (await this.app.poll(0)).filter((m) => m.author !== 'resident');
    this.received.push(...replies);
    return replies;
  }

  say(text: string): Promise<AppMessage[]> {
    return this.send({ text });
  }

  press(payload: string): Promise<AppMessage[]> {
    return this.send({ payload });
  }

  /** Long-polls until a message matching `match` arrives (pushed later, e.g. by staff). */
  async waitFor(match: (m: AppMessage) => boolean, what: string, timeoutMs = 10_000): Promise<AppMessage> {
    return eventually(
      async () => {
        const found = this.received.find(match);
        if (found) return found;
        this.received.push(...(await this.app.poll(2)).filter((m) => m.author !== 'resident'));
        return this.received.find(match);
      },
      timeoutMs,
      what,
    );
  }
}

/** All texts of some replies, joined. */
export const textOf = (replies: AppMessage[]) => replies.map((r) => r.text ?? '').join('\n');

/** Every quick-reply payload offered in some replies. */
export const payloadsOf = (replies: AppMessage[]) =>
  replies.flatMap((r) => (r.quickReplies ?? []).map((q) => q.payload));

/** Calls the admin API. */
export async function admin<T = Record<string, unknown>>(
  service: Service,
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; contentType?: string } = {},
): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const isText = typeof body === 'string';
  const res = await fetch(`${service.url}/api/admin/v1${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && {
        'content-type': options.contentType ?? (isText ? 'text/csv' : 'application/json'),
      }),
    },
    ...(body !== undefined && { body: isText ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and empty answers stay text.
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}
