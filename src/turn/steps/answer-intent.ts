import { encodeButton } from '../../core/button-payload';
import { INTENT, OUT_OF_SCOPE } from '../../core/intents';
import { pickLocalized } from '../../core/localized';
import type { Translate } from '../../core/text-port';
import type { TurnStep } from '../../core/turn-context';

/** What the step needs of an intent definition: its short reply per language, if it has one. */
export interface IntentReply {
  reply?: Record<string, string>;
}

export interface AnswerPolicy {
  /** Below this confidence the bot asks to rephrase instead of guessing. */
  minConfidence: number;
  /** Misses in a row after which a counselor is offered. */
  missesBeforeOffer: number;
}

/**
 * The foundation policy: greet, answer known intents with their short reply, ask to rephrase when
 * unsure, offer a counselor after repeated misses, queue for a human on request.
 */
export function answerIntentStep(
  definitions: () => ReadonlyMap<string, IntentReply>,
  policy: AnswerPolicy,
  tr: Translate,
): TurnStep {
  return async (ctx) => {
    const nlu = ctx.nlu;
    // "Ask again", or a button whose question has passed (an old flow's, an expired survey's):
    // invite the question again without counting a miss, since the resident said nothing unclear.
    if (ctx.inbound.content.kind === 'button' && ctx.button?.kind !== 'intent') {
      ctx.reply(tr('resident.turn.rephrase', ctx.language));
      return;
    }
    const understood = nlu && nlu.intent !== OUT_OF_SCOPE && nlu.confidence >= policy.minConfidence;
    if (understood && nlu.intent === INTENT.counselorRequest) {
      const priority = ctx.conversation.misses >= policy.missesBeforeOffer ? 'bot_failure' : 'request';
      ctx.reply(tr('resident.turn.queued', ctx.language));
      await ctx.escalate(priority, 'resident asked for a counselor');
      return;
    }
    if (understood) {
      const text = pickLocalized(definitions().get(nlu.intent)?.reply, ctx.language);
      if (text) {
        ctx.reply(text);
        await ctx.update({ misses: 0, lastIntent: nlu.intent });
        return;
      }
    }
    const misses = ctx.conversation.misses + 1;
    await ctx.update({ misses });
    if (misses >= policy.missesBeforeOffer) {
      ctx.reply({
        kind: 'text',
        text: tr('resident.turn.offerCounselor', ctx.language),
        quickReplies: [
          { label: tr('resident.button.talkToCounselor', ctx.language), payload: encodeButton({ kind: 'intent', intent: INTENT.counselorRequest }) },
          { label: tr('resident.button.askAgain', ctx.language), payload: encodeButton({ kind: 'retry' }) },
        ],
      });
    } else {
      ctx.reply(tr('resident.turn.rephrase', ctx.language));
    }
  };
}
