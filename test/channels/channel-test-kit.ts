/** Helpers shared by the channel adapter tests. */
import type { Service } from '../../src/main';
import type { Conversation } from '../../src/core/conversation';
import type { Message } from '../../src/core/message';
import type { OutboxEntry } from '../../src/core/store-port';

/** Outbox settings that make retries quick in tests (the backoff logic itself is unchanged). */
export const FAST_OUTBOX = { OUTBOX_POLL_MS: '20', OUTBOX_BASE_DELAY_MS: '30', OUTBOX_MAX_DELAY_MS: '200' };

/** Polls `probe` until it returns a truthy value; rejects with `what` after the timeout. */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The open conversation of a channel identity, waiting for it to exist. */
export function conversationOf(
  service: Service,
  channel: string,
  externalUserId: string,
): Promise<Conversation> {
  return waitUntil(
    () => service.store.conversations.findOpen(channel, externalUserId),
    `a ${channel} conversation for ${externalUserId}`,
  );
}

export async function messagesOf(service: Service, conversationId: string): Promise<Message[]> {
  return service.store.messages.listByConversation(conversationId, { limit: 1000 });
}

/** All outbox entries of a conversation, whatever their status. */
export async function outboxOf(service: Service, conversationId: string): Promise<OutboxEntry[]> {
  const all = await Promise.all(
    (['pending', 'sent', 'failed'] as const).map((s) => service.store.outbox.listByStatus(s, 10_000)),
  );
  return all.flat().filter((e) => e.conversationId === conversationId);
}

/**
 * Waits until every resident message of the conversation has been answered (its turn stored all its
 * replies, e.g. the welcome and the answer) and every outbox entry is sent; returns the entries.
 */
export function allSent(service: Service, conversationId: string): Promise<OutboxEntry[]> {
  return waitUntil(async () => {
    const inbound = (await messagesOf(service, conversationId)).filter((m) => m.direction === 'inbound');
    if (!inbound.every((m) => m.handledAt)) return undefined;
    const entries = await outboxOf(service, conversationId);
    return entries.length > 0 && entries.every((e) => e.status === 'sent') && entries;
  }, 'every outbox entry to be sent');
}

/** POSTs raw bytes with headers and returns status and parsed body. */
export async function postRaw(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json: json as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A long text of natural sentences, for split tests. */
export function longKoreanText(chars: number): string {
  const sentence = '경기도 120 콜센터는 도민 여러분의 생활 민원을 하루 24시간 안내합니다. ';
  let out = '';
  while (out.length < chars) out += sentence;
  return out.slice(0, chars).trim();
}
