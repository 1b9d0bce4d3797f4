/** One bot turn: the typed context every pipeline step reads and writes, and the step signature. */
import type { ButtonPayload } from './button-payload';
import type { Conversation, Priority } from './conversation';
import type { Logger } from './logger-port';
import type { Message, MessageContent, OutboundDraft } from './message';
import type { Classification } from './nlu-port';
import type { ConversationPatch } from './store-port';

export interface TurnNlu extends Classification {
  crisis: boolean;
  abusive: boolean;
  /** Milliseconds the intent classification took (metrics). */
  latencyMs?: number;
  /**
   * The crisis decision read crisis-like words as everyday talk ("Trời nóng muốn chết luôn", impatience
   * in the queue, thanks): the resident is not asking about crisis lines either.
   */
  everydayTalk?: boolean;
}

/**
 * What a turn step may change on its conversation. Ownership (state, priority, handoffSeq,
 * assignee, queue and close times) changes only through the handoff: `escalate` and `raisePriority`.
 */
export type TurnPatch = Omit<ConversationPatch, 'state' | 'priority' | 'handoffSeq' | 'assigneeId' | 'queuedAt' | 'closedAt'>;

export interface TurnContext {
  readonly inbound: Message;
  conversation: Conversation;
  /** Words of the message: its text, a button's label, a caption (empty for a bare photo or location). */
  readonly text: string;
  /**
   * The button pressed, decoded; undefined when the message is not a button press or the payload is
   * not one of ours (`inbound.content.kind === 'button'` tells any press).
   */
  readonly button?: ButtonPayload;
  language: string;
  nlu?: TurnNlu;
  readonly replies: OutboundDraft[];
  readonly logger: Logger;
  /** The pipeline step that ended the turn by not calling next(), once one has (logs and metrics). */
  endedBy?: string;
  /** Queues a bot reply; replies are stored and sent after the turn. */
  reply(content: MessageContent | string): void;
  /** Persists a change to the conversation and refreshes `conversation`. */
  update(patch: TurnPatch): Promise<void>;
  /** Hands the conversation to the human queue with a priority (keeps a higher one). */
  escalate(priority: Priority, reason: string): Promise<void>;
  /** Raises the priority of a conversation a counselor owns (the counselor keeps it). */
  raisePriority(priority: Priority): Promise<void>;
}

/** A pipeline step (telegraf-style middleware): does its part and calls `next()` to go on, or ends the turn. */
export type TurnStep = (ctx: TurnContext, next: () => Promise<void>) => Promise<void>;
