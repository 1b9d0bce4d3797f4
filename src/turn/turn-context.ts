/** One bot turn: the typed context every pipeline step reads and writes, and how steps compose. */
import type { Conversation, Priority } from '../core/conversation';
import type { Logger } from '../core/logger-port';
import type { Message, MessageContent, OutboundDraft } from '../core/message';
import type { Classification } from '../core/nlu-port';
import type { ConversationPatch } from '../core/store-port';

export interface TurnNlu extends Classification {
  crisis: boolean;
  abusive: boolean;
}

export interface TurnContext {
  readonly inbound: Message;
  conversation: Conversation;
  /** Text of the message (may be empty for a photo or location). */
  readonly text: string;
  /** Button payload pressed, if any. */
  readonly payload?: string;
  language: string;
  nlu?: TurnNlu;
  readonly replies: OutboundDraft[];
  readonly logger: Logger;
  /** Queues a bot reply; replies are stored and sent after the turn. */
  reply(content: MessageContent | string): void;
  /** Persists a change to the conversation and refreshes `conversation`. */
  update(patch: ConversationPatch): Promise<void>;
  /** Hands the conversation to the human queue with a priority (keeps a higher one). */
  escalate(priority: Priority, reason: string): Promise<void>;
}

export type TurnStep = (ctx: TurnContext, next: () => Promise<void>) => Promise<void>;

/** Composes steps left to right; a step that does not call next() ends the turn. */
export function composeSteps(steps: TurnStep[]): (ctx: TurnContext) => Promise<void> {
  return (ctx) => {
    const run = async (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return;
      let called = false;
      await step(ctx, async () => {
        if (called) throw new Error(`turn step ${i} called next() twice`);
        called = true;
        await run(i + 1);
      });
    };
    return run(0);
  };
}
