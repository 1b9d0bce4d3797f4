/**
 * The escalation port: how a bot turn hands a conversation to people. The handoff implements it
 * and is the only writer of a conversation's state, priority and handoffSeq.
 */
import type { Conversation, Priority } from './conversation';

export interface Escalation {
  /**
   * Moves a conversation the bot owns (or one already queued) to the human queue, keeping the more
   * urgent priority; a new queue entry gets the next handoffSeq. Returns the updated conversation.
   */
  escalate(conversation: Conversation, priority: Priority, reason: string): Promise<Conversation>;
  /** Raises the priority of a conversation a counselor already owns; the counselor keeps it. */
  raisePriority(conversation: Conversation, priority: Priority): Promise<Conversation>;
}
