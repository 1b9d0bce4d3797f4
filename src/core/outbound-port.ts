/**
 * The delivery port: every outbound message (bot reply, counselor reply, system notice, staff note)
 * is stored and then delivered on the conversation's channel through this one path.
 */
import type { Conversation } from './conversation';
import type { Message, OutboundDraft } from './message';

export interface SendOptions {
  /**
   * Store only: a synchronous channel puts these messages in its HTTP answer itself. If it stops
   * waiting, the caller hands them to `deliverStored` instead, so nothing is lost.
   */
  inline?: boolean;
  /** The inbound message whose turn produced these replies (crash recovery checks it). */
  replyToId?: string;
}

export interface Outbound {
  /**
   * Stores the drafts as outbound messages of the conversation, in order, and delivers each on the
   * conversation's channel (internal notes are stored, never delivered). Returns the stored messages;
   * a draft whose `onceKey` the conversation already has is skipped and not returned.
   */
  send(conversation: Conversation, drafts: OutboundDraft[], options?: SendOptions): Promise<Message[]>;
  /** Delivers messages already stored with `inline` whose synchronous answer went out without them. */
  deliverStored(conversation: Conversation, messages: Message[]): Promise<void>;
  /** Adds an internal note (author system, never delivered) that counselors see in the conversation. */
  noteForStaff(conversationId: string, text: string): Promise<void>;
}
