/**
 * The welcome: the first message of a chat, with the starter topics (knowledge/welcome.json) as
 * "choose intent" buttons, in the conversation's language (English for languages it lacks).
 *
 * An app or web chat session is greeted when it opens, before the resident writes. A conversation
 * that a message opens (messaging platforms, a resident writing again after a close) is greeted in
 * its first turn, before the answer and in the language detected from that message. Either way it
 * is sent once per conversation: its once-key is arbitrated by the store's unique delivery key, so
 * two instances (or a greeting at session start and a first turn) cannot both send it.
 */
import { encodeButton } from '../core/button-payload';
import type { Conversation } from '../core/conversation';
import { INTENT } from '../core/intents';
import { pickLocalized } from '../core/localized';
import { textContent, type OutboundDraft } from '../core/message';
import type { Outbound } from '../core/outbound-port';
import type { TurnContext, TurnStep } from '../core/turn-context';
import type { WelcomeData } from './welcome-schema';

/** The once-key of the welcome message in every conversation. */
export const WELCOME_ONCE_KEY = 'welcome';

/** The welcome in `language`: its text with one button per starter topic, each selecting the topic's intent. */
export function welcomeDraft(data: WelcomeData, language: string): OutboundDraft {
  const quickReplies = data.topics.map((topic) => ({
    label: pickLocalized(topic.label, language) ?? topic.id,
    payload: encodeButton({ kind: 'intent', intent: topic.intent }),
  }));
  return {
    author: 'bot',
    onceKey: WELCOME_ONCE_KEY,
    content: textContent(pickLocalized(data.message, language) ?? '', { quickReplies }),
  };
}

export interface WelcomeDeps {
  /** The current welcome data; undefined when the knowledge folder has none (no welcome is sent). */
  welcome: () => WelcomeData | undefined;
  outbound: Pick<Outbound, 'send'>;
  /** Classifier confidence at which a first message counts as a greeting (the welcome answers it). */
  minIntentConfidence: number;
}

export class WelcomeService {
  constructor(private readonly deps: WelcomeDeps) {}

  /** Sends the welcome to a conversation that opened without a message (an app or web chat session). */
  async greet(conversation: Conversation): Promise<void> {
    const data = this.deps.welcome();
    if (data) await this.deps.outbound.send(conversation, [welcomeDraft(data, conversation.language)]);
  }

  /**
   * The first-turn welcome: goes before the steps that answer. When nothing was ever sent in the
   * conversation, the welcome is put before this turn's replies; a first message that only says
   * hello is answered by the welcome alone (a second greeting under it would repeat it).
   */
  readonly step: TurnStep = async (ctx, next) => {
    const data = this.deps.welcome();
    // lastOutboundAt is the cheap check; the once-key decides when two turns race.
    if (!data || ctx.conversation.lastOutboundAt) return next();
    ctx.replies.unshift(welcomeDraft(data, ctx.language));
    if (this.isGreeting(ctx)) {
      await ctx.update({ misses: 0, lastIntent: INTENT.greeting });
      return;
    }
    await next();
  };

  private isGreeting(ctx: TurnContext): boolean {
    const nlu = ctx.nlu;
    return ctx.inbound.content.kind !== 'button' && nlu?.intent === INTENT.greeting && nlu.confidence >= this.deps.minIntentConfidence;
  }
}
