/** Removes everything stored under one conversation; shared by privacy deletion and retention. */
import type { Store } from '../core/store-port';

export interface ErasureCounts {
  outbox: number;
  messages: number;
  handoff: number;
}

export async function eraseConversationData(store: Store, conversationId: string): Promise<ErasureCounts> {
  // Outbox before messages, so nothing queued is sent after its message is gone.
  const outbox = await store.outbox.deleteByConversation(conversationId);
  const messages = await store.messages.deleteByConversation(conversationId);
  const handoff =
    (await store.episodes.deleteByConversation(conversationId)) +
    (await store.surveys.deleteByConversation(conversationId)) +
    (await store.alerts.deleteByConversation(conversationId)) +
    (await store.messageFlags.deleteByConversation(conversationId)) +
    (await store.media.deleteByConversation(conversationId)) +
    (await store.qaReviews.deleteByConversation(conversationId));
  return { outbox, messages, handoff };
}
