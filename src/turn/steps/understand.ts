import type { AbuseDetector, CrisisDetector, IntentClassifier } from '../../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE, withoutShortTextCrisis } from '../../core/nlu-port';
import type { TurnStep } from '../../core/turn-context';

export interface UnderstandDeps {
  classifier: () => IntentClassifier;
  crisis: CrisisDetector;
  abuse?: AbuseDetector;
}

/**
 * Classifies the message and flags crisis and abuse; the result lands in ctx.nlu. An intent button
 * selects its intent without classification.
 */
export function understandStep(deps: UnderstandDeps): TurnStep {
  return async (ctx, next) => {
    const crisis = ctx.text ? deps.crisis.isCrisis(ctx.text) : false;
    const abusive = ctx.text && deps.abuse ? deps.abuse.isAbusive(ctx.text) : false;
    if (ctx.button?.kind === 'intent') {
      const { intent } = ctx.button;
      ctx.nlu = {
        intent,
        confidence: 1,
        top: [{ intent, confidence: 1 }],
        model: 'payload',
        crisis,
        abusive,
      };
    } else if (ctx.text) {
      const classification = withoutShortTextCrisis(
        await deps.classifier().classify(ctx.text, ctx.language),
        ctx.text,
      );
      ctx.nlu = { ...classification, crisis: crisis || classification.intent === CRISIS_INTENT, abusive };
    } else {
      ctx.nlu = { intent: OUT_OF_SCOPE, confidence: 0, top: [], model: 'none', crisis, abusive };
    }
    await next();
  };
}
