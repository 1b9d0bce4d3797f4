/** Finding past conversations for staff: by resident, words in messages, and a date range. */
import type { Message } from './message';

export interface MessageSearchQuery {
  /** Every word must occur in the message text (case-insensitive substring). */
  words?: string[];
  residentId?: string;
  conversationId?: string;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  limit: number;
}

export interface MessageSearchStore {
  /** Matching messages (internal notes included: staff search), newest first. */
  find(query: MessageSearchQuery): Promise<Message[]>;
}
