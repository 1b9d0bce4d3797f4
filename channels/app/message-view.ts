import type { ChannelStoreView } from '../../src/core/channel-port';
import { partsOf, type Message } from '../../src/core/message';
import type { MessageView } from './app-api-schemas';

/** Messages of a conversation the resident may see (no internal notes), after a seq. */
export async function visibleMessages(store: ChannelStoreView, conversationId: string, afterSeq: number): Promise<Message[]> {
  const messages = await store.messages.listByConversation(conversationId, { afterSeq, limit: 200 });
  return messages.filter((m) => !m.flags?.internal);
}

/** The resident-facing view of a stored message (no internal flags, ids or notes). */
export function toMessageView(m: Message): MessageView {
  const c = partsOf(m.content);
  const clientMessageId = m.direction === 'inbound' && m.channelMessageId ? m.channelMessageId.split(':').slice(1).join(':') : undefined;
  return {
    id: m.id,
    seq: m.seq,
    author: m.author,
    direction: m.direction,
    ...(c.text !== undefined && { text: c.text }),
    ...(c.quickReplies?.length && { quickReplies: c.quickReplies }),
    ...(c.images?.length && { images: c.images }),
    ...(c.location && { location: c.location }),
    ...(c.links?.length && { links: c.links }),
    ...(clientMessageId && { clientMessageId }),
    ...(m.language && { language: m.language }),
    createdAt: m.createdAt.toISOString(),
  };
}

/** Cursor = conversation id + last seq; a cursor of another conversation restarts at its start. */
export function encodeCursor(conversationId: string, seq: number): string {
  return `${conversationId}.${seq}`;
}

export function decodeCursor(cursor: string | undefined, conversationId: string): number {
  if (!cursor) return 0;
  const dot = cursor.lastIndexOf('.');
  const seq = Number(cursor.slice(dot + 1));
  if (dot < 0 || cursor.slice(0, dot) !== conversationId || !Number.isInteger(seq) || seq < 0) return 0;
  return seq;
}
