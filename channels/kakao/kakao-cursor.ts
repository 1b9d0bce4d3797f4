/**
 * KakaoTalk's delivery cursor. Kakao cannot be pushed to: messages reach a resident only in the
 * answer to their next request. Each conversation keeps the seq of the last message shown
 * (`channelContext.deliveredSeq`), so nothing is shown twice or lost across restarts.
 */
import type { ChannelRuntime } from '../../src/core/channel-port';
import type { Conversation } from '../../src/core/conversation';
import type { Message } from '../../src/core/message';

/** A just-closed conversation's last replies are still shown this long after the close. */
const CLOSED_GRACE_MS = 7 * 24 * 3600_000;

/** Seq of the last message shown in this conversation (0 = none). */
export function deliveredSeq(conversation: Conversation): number {
  const seq = conversation.channelContext?.deliveredSeq;
  return typeof seq === 'number' ? seq : 0;
}

export class KakaoCursor {
  constructor(private readonly runtime: Pick<ChannelRuntime, 'store' | 'saveChannelContext'>) {}

  /**
   * Outbound messages of a channel identity after each conversation's cursor, oldest first. Also
   * looks at the identity's most recently closed conversation (closed within 7 days), so a
   * counselor's last reply before closing still reaches a resident who writes again.
   */
  async undelivered(channel: string, externalUserId: string): Promise<Message[]> {
    const { store } = this.runtime;
    const { open, closed } = await this.conversations(channel, externalUserId);
    const out: Message[] = [];
    for (const c of [closed, open]) {
      if (!c) continue;
      const messages = await store.messages.listByConversation(c.id, { afterSeq: deliveredSeq(c), limit: 500 });
      out.push(...messages.filter((m) => m.direction === 'outbound' && !m.flags?.internal));
    }
    return out;
  }

  /**
   * The stored platform context of the conversation whose replies `undelivered` would show (open,
   * else closed in the last 7 days), so the adapter can check that a request may read them.
   * Undefined when there is none.
   */
  async channelContext(channel: string, externalUserId: string): Promise<Record<string, unknown> | undefined> {
    const { open, closed } = await this.conversations(channel, externalUserId);
    const c = open ?? closed;
    return c ? (c.channelContext ?? {}) : undefined;
  }

  /** The identity's open conversation and its most recently closed one (within the grace period). */
  private async conversations(channel: string, externalUserId: string): Promise<{ open?: Conversation; closed?: Conversation }> {
    const { store } = this.runtime;
    const open = await store.conversations.findOpen(channel, externalUserId);
    const residentId = open?.residentId ?? (await store.residents.findOrCreateByIdentity({ channel, externalUserId })).id;
    const closed = (await store.conversations.list({ residentId, states: ['closed'] }))
      .filter((c) => c.channel === channel && c.externalUserId === externalUserId)
      .filter((c) => (c.closedAt?.getTime() ?? 0) > Date.now() - CLOSED_GRACE_MS)
      .pop();
    return { ...(open && { open }), ...(closed && { closed }) };
  }

  /** Advances each conversation's cursor past these messages (never backwards). */
  async markDelivered(messages: Message[]): Promise<void> {
    const upTo = new Map<string, number>();
    for (const m of messages) upTo.set(m.conversationId, Math.max(upTo.get(m.conversationId) ?? 0, m.seq));
    for (const [conversationId, seq] of upTo) {
      const c = await this.runtime.store.conversations.get(conversationId);
      if (!c || deliveredSeq(c) >= seq) continue;
      await this.runtime.saveChannelContext(conversationId, { deliveredSeq: seq });
    }
  }
}
