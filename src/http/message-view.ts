import type { Message } from '../core/message';
import type { MessageView } from './app-api-schemas';

/** The resident-facing view of a stored message (no internal flags, ids or notes). */
export function toMessageView(m: Message): MessageView {
  const clientMessageId = m.direction === 'inbound' && m.channelMessageId ? m.channelMessageId.split(':').slice(1).join(':') : undefined;
  return {
    id: m.id,
    seq: m.seq,
    author: m.author,
    direction: m.direction,
    ...(m.content.text !== undefined && { text: m.content.text }),
    ...(m.content.quickReplies?.length && { quickReplies: m.content.quickReplies }),
    ...(m.content.images?.length && { images: m.content.images }),
    ...(m.content.location && { location: m.content.location }),
    ...(m.content.links?.length && { links: m.content.links }),
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
