import type { IntentDefinition } from '../../nlu/intent-data';
import { OUT_OF_SCOPE } from '../../core/nlu-port';
import { pickLocalized } from '../../core/localized';
import { tr } from '../../i18n/translate';
import type { TurnStep } from '../turn-context';
import { INTENT_PAYLOAD_PREFIX } from './understand';

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
export function answerIntentStep(definitions: () => Map<string, IntentDefinition>, policy: AnswerPolicy): TurnStep {
  return async (ctx) => {
    const nlu = ctx.nlu;
    const understood = nlu && nlu.intent !== OUT_OF_SCOPE && nlu.confidence >= policy.minConfidence;
    if (understood && nlu.intent === 'counselor_request') {
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
        text: tr('resident.turn.offerCounselor', ctx.language),
        quickReplies: [
          { label: tr('resident.button.talkToCounselor', ctx.language), payload: `${INTENT_PAYLOAD_PREFIX}counselor_request` },
          { label: tr('resident.button.askAgain', ctx.language), payload: 'retry' },
        ],
      });
    } else {
      ctx.reply(tr('resident.turn.rephrase', ctx.language));
    }
  };
}
