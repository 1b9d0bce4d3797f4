/**
 * The check of the platform-outage fault script: reads the conversations of the sender's chats
 * straight from the database and compares them with what the fake Bot API accepted.
 *
 * - every acknowledged update is stored exactly once (dedupe key chat id + message id) and answered;
 * - every reply stored for those chats (outbound, not an internal note) reached the fake exactly
 *   once, and per chat in the order the service stored them (by seq); a reply rendered as several
 *   Bot API calls counts as delivered when all its calls were accepted;
 * - no outbox entry of those chats is failed or discarded (dead), and none is still pending.
 */
import mongoose from 'mongoose';
import type { FakeTelegramServer } from '../../channels/telegram/fake-telegram-server';
import { renderTelegram } from '../../channels/telegram/telegram-render';
import type { MessageContent } from '../../src/core/message';
import type { AckedUpdate } from './telegram-sender';

interface MessageDoc {
  _id: string;
  conversationId: string;
  seq: number;
  direction: 'inbound' | 'outbound';
  channelMessageId?: string;
  replyToId?: string;
  content: MessageContent;
  flags?: { internal?: boolean };
}

interface OutboxDoc {
  _id: string;
  conversationId: string;
  status: 'pending' | 'sent' | 'failed' | 'discarded';
  attempts: number;
  lastError?: string;
}

/** The figures of one look at the database and the fake. */
export interface TelegramDeliveryCounts {
  acknowledged: number;
  stored: number;
  storedTwice: number;
  answered: number;
  repliesStored: number;
  delivered: number;
  deliveredTwice: number;
  /** Accepted calls that match no stored reply at all. */
  unexpected: number;
  outOfOrder: number;
  pending: number;
  dead: number;
  /** Most send attempts any entry of these chats needed. */
  mostAttempts: number;
  lastErrors: string[];
  /** Acknowledged updates (`chatId:messageId`) answered with replies that all reached the fake. */
  answeredAndDelivered: Set<string>;
  /** When the first reply to an acknowledged update (`chatId:messageId`) had all its calls accepted. */
  firstReplyDeliveredAt: Map<string, number>;
}

/** All good: the outbox drained and nothing lost, doubled, reordered or dead. */
export function deliveryOk(c: TelegramDeliveryCounts): boolean {
  return (
    c.stored === c.acknowledged &&
    c.storedTwice === 0 &&
    c.answered === c.acknowledged &&
    c.delivered === c.repliesStored &&
    c.deliveredTwice === 0 &&
    c.unexpected === 0 &&
    c.outOfOrder === 0 &&
    c.pending === 0 &&
    c.dead === 0
  );
}

/** How often the wait reports how far the outbox got. */
const PROGRESS_MS = 15_000;

/** One Bot API call reduced to what identifies it in a chat's sequence. */
function callKey(method: string, body: { text?: unknown; photo?: unknown; caption?: unknown }): string {
  return method === 'sendPhoto' ? `photo\n${String(body.photo)}\n${String(body.caption ?? '')}` : `text\n${String(body.text)}`;
}

/**
 * Matches one chat's accepted calls, in arrival order, to its stored replies' calls, in seq order.
 * Each accepted call takes the next unmatched expected call with the same content (after the
 * furthest one matched so far, else the earliest); one that matches only already-delivered calls is
 * a duplicate; one matched to an expected call earlier than a call already delivered arrived out
 * of order. `matchedTo[i]` is the expected call the
 * i-th accepted call was matched to (-1 for none).
 */
export function matchChat(expected: { key: string; reply: number }[], accepted: string[]) {
  const taken = new Array<boolean>(expected.length).fill(false);
  const matchedTo: number[] = [];
  let duplicates = 0;
  let unexpected = 0;
  let outOfOrder = 0;
  let furthest = -1;
  for (const key of accepted) {
    // Same content stored twice (one question asked twice): prefer the copy after the furthest
    // call delivered, so a lost earlier copy does not make the later one look reordered.
    const free = (e: { key: string }, j: number) => !taken[j] && e.key === key;
    const ahead = expected.findIndex((e, j) => j > furthest && free(e, j));
    const i = ahead >= 0 ? ahead : expected.findIndex(free);
    matchedTo.push(i);
    if (i < 0) {
      if (expected.some((e) => e.key === key)) duplicates++;
      else unexpected++;
      continue;
    }
    taken[i] = true;
    if (i < furthest) outOfOrder++;
    furthest = Math.max(furthest, i);
  }
  const undelivered = new Set(expected.filter((_, j) => !taken[j]).map((e) => e.reply));
  return { duplicates, unexpected, outOfOrder, undelivered, matchedTo };
}

/** A chat's sends the fake accepted (200), oldest first, with when they arrived. */
function acceptedCalls(fake: FakeTelegramServer, chatId: string): { key: string; at: number }[] {
  return fake.http.requests
    .filter((r) => r.reply?.status === 200 && /\/(sendMessage|sendPhoto)$/i.test(r.path) && String((r.body as { chat_id?: unknown }).chat_id) === chatId)
    .map((r) => ({ key: callKey(r.path.split('/').pop()!, r.body as Record<string, unknown>), at: r.at.getTime() }));
}

/** Reads the database and the fake once. */
export async function countTelegramDelivery(
  db: mongoose.mongo.Db,
  fake: FakeTelegramServer,
  acked: readonly AckedUpdate[],
): Promise<TelegramDeliveryCounts> {
  const messages = db.collection<MessageDoc>('messages');
  const ackedKeys = new Set(acked.map((a) => `${a.chatId}:${a.messageId}`));
  const inbound = await messages
    .find({ channel: 'telegram', direction: 'inbound', channelMessageId: { $in: [...ackedKeys] } })
    .toArray();
  const storedTimes = new Map<string, number>();
  const idOfKey = new Map<string, string>();
  const chatOfConversation = new Map<string, string>();
  for (const m of inbound) {
    storedTimes.set(m.channelMessageId!, (storedTimes.get(m.channelMessageId!) ?? 0) + 1);
    idOfKey.set(m.channelMessageId!, m._id);
    chatOfConversation.set(m.conversationId, m.channelMessageId!.split(':')[0]!);
  }
  const conversationIds = [...chatOfConversation.keys()];
  const outbound = await messages
    .find({ conversationId: { $in: conversationIds }, direction: 'outbound' })
    .sort({ seq: 1 })
    .toArray();
  const answeredIds = new Set(outbound.map((m) => m.replyToId).filter(Boolean));
  const replies = outbound.filter((m) => !m.flags?.internal);

  let delivered = 0;
  let deliveredTwice = 0;
  let unexpected = 0;
  let outOfOrder = 0;
  const undeliveredIds = new Set<string>();
  const deliveredAt = new Map<string, number>();
  for (const [conversationId, chatId] of chatOfConversation) {
    const mine = replies.filter((m) => m.conversationId === conversationId);
    const expected = mine.flatMap((m, reply) =>
      renderTelegram(m.content).map((call) =>
        ({ key: callKey(call.method, call.method === 'sendPhoto' ? { photo: call.photo, caption: call.caption } : { text: call.text }), reply }),
      ),
    );
    const accepted = acceptedCalls(fake, chatId);
    const r = matchChat(expected, accepted.map((c) => c.key));
    // A reply is delivered when its last call is accepted.
    r.matchedTo.forEach((i, k) => {
      if (i < 0) return;
      const id = mine[expected[i]!.reply]!._id;
      deliveredAt.set(id, Math.max(deliveredAt.get(id) ?? 0, accepted[k]!.at));
    });
    delivered += mine.length - r.undelivered.size;
    for (const reply of r.undelivered) undeliveredIds.add(mine[reply]!._id);
    deliveredTwice += r.duplicates;
    unexpected += r.unexpected;
    outOfOrder += r.outOfOrder;
  }

  const outbox = await db.collection<OutboxDoc>('outbox').find({ conversationId: { $in: conversationIds } }).toArray();
  const repliesTo = new Map<string, string[]>();
  for (const m of replies) if (m.replyToId) repliesTo.set(m.replyToId, [...(repliesTo.get(m.replyToId) ?? []), m._id]);
  const answeredAndDelivered = new Set(
    [...ackedKeys].filter((k) => {
      const ids = repliesTo.get(idOfKey.get(k) ?? '');
      return ids?.length && ids.every((id) => !undeliveredIds.has(id));
    }),
  );
  const firstReplyDeliveredAt = new Map<string, number>();
  for (const k of ackedKeys) {
    const times = (repliesTo.get(idOfKey.get(k) ?? '') ?? []).filter((id) => !undeliveredIds.has(id)).map((id) => deliveredAt.get(id)!);
    if (times.length) firstReplyDeliveredAt.set(k, Math.min(...times));
  }
  const dead = outbox.filter((e) => e.status === 'failed' || e.status === 'discarded');
  return {
    acknowledged: ackedKeys.size,
    stored: storedTimes.size,
    storedTwice: [...storedTimes.values()].filter((n) => n > 1).length,
    answered: [...ackedKeys].filter((k) => idOfKey.has(k) && answeredIds.has(idOfKey.get(k))).length,
    repliesStored: replies.length,
    delivered,
    deliveredTwice,
    unexpected,
    outOfOrder,
    pending: outbox.filter((e) => e.status === 'pending').length,
    dead: dead.length,
    mostAttempts: Math.max(0, ...outbox.map((e) => e.attempts)),
    lastErrors: [...new Set(dead.map((e) => e.lastError ?? '(no error kept)'))].slice(0, 5),
    answeredAndDelivered,
    firstReplyDeliveredAt,
  };
}

/**
 * Looks again every second until all is good or `timeoutMs` passed; returns the last figures and
 * when everything was first seen delivered, if it was; reports progress every 15 s.
 */
export async function waitForTelegramDelivery(
  mongoUri: string,
  fake: FakeTelegramServer,
  acked: readonly AckedUpdate[],
  timeoutMs: number,
  progress: (line: string) => void = () => undefined,
): Promise<{ counts: TelegramDeliveryCounts; drainedAt?: number }> {
  const client = new mongoose.mongo.MongoClient(mongoUri, { directConnection: true, serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let nextProgress = Date.now() + PROGRESS_MS;
    for (;;) {
      const counts = await countTelegramDelivery(client.db(), fake, acked);
      if (deliveryOk(counts)) return { counts, drainedAt: Date.now() };
      if (Date.now() > deadline) return { counts };
      if (Date.now() >= nextProgress) {
        progress(`draining: replies stored ${counts.repliesStored}, delivered ${counts.delivered}, outbox pending ${counts.pending}`);
        nextProgress += PROGRESS_MS;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await client.close();
  }
}
