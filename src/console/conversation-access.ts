/**
 * Who may read a conversation in the console: supervisors any; counselors queued chats, their own,
 * and closed or returned ones they handled last. The same rule as GET /conversations/:id.
 */
import type { Conversation } from '../core/conversation';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';

/** True when `user` may read `c`. */
export async function canRead(store: Store, user: ConsoleUser, c: Conversation): Promise<boolean> {
  if (user.role === 'supervisor' || c.state === 'queued' || c.assigneeId === user.id) return true;
  if (c.state === 'assigned') return false;
  const episodes = await store.episodes.listByConversation(c.id);
  return episodes.at(-1)?.counselorId === user.id;
}

/**
 * The conversation, when `user` may read it.
 * @throws HandoffError 404 when it does not exist, 403 when it is someone else's.
 */
export async function readableConversation(store: Store, user: ConsoleUser, conversationId: string): Promise<Conversation> {
  const c = await store.conversations.get(conversationId);
  if (!c) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: conversationId } });
  if (!(await canRead(store, user, c))) {
    throw new HandoffError(403, 'forbidden', { key: 'staff.error.conversationForbidden' });
  }
  return c;
}
