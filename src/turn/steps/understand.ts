import type { AwaitedAnswer, CrisisContext, CrisisJudge } from '../../core/crisis-port';
import { withoutCrisisIntent } from '../../core/crisis-port';
import type { AbuseDetector, CrisisDetector, IntentClassifier } from '../../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE, withoutShortTextCrisis } from '../../core/nlu-port';
import type { TurnContext, TurnStep } from '../turn-context';

export interface UnderstandDeps {
  classifier: () => IntentClassifier;
  crisis: CrisisDetector;
  abuse?: AbuseDetector;
  /** Decides crisis with the conversation's context; without it, lexicon or model decide alone. */
  judge?: CrisisJudge;
  /** What the bot waits for beyond the conversation record (a pending survey answer). */
  awaiting?: (ctx: TurnContext) => Promise<AwaitedAnswer | undefined>;
}

/** Button payloads of the form `intent:<name>` select an intent without classification. */
export const INTENT_PAYLOAD_PREFIX = 'intent:';

/** What the crisis decision needs to know about the conversation (read only when it asks). */
async function crisisContext(ctx: TurnContext, deps: UnderstandDeps): Promise<CrisisContext> {
  const c = ctx.conversation;
  const awaiting = (await deps.awaiting?.(ctx)) ?? (c.flow ? 'flow_slot' : undefined);
  return { state: c.state, priority: c.priority, lastIntent: c.lastIntent, ...(awaiting && { awaiting }) };
}

/** Classifies the message and flags crisis and abuse; the result lands in ctx.nlu. */
export function understandStep(deps: UnderstandDeps): TurnStep {
  return async (ctx, next) => {
    const crisis = ctx.text ? deps.crisis.isCrisis(ctx.text) : false;
    const abusive = ctx.text && deps.abuse ? deps.abuse.isAbusive(ctx.text) : false;
    if (ctx.payload?.startsWith(INTENT_PAYLOAD_PREFIX)) {
      const intent = ctx.payload.slice(INTENT_PAYLOAD_PREFIX.length);
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
      const verdict = deps.judge
        ? (
            await deps.judge.judge({
              text: ctx.text,
              language: ctx.language,
              classification,
              context: () => crisisContext(ctx, deps),
            })
          ).crisis
        : crisis || classification.intent === CRISIS_INTENT;
      ctx.nlu = { ...(verdict ? classification : withoutCrisisIntent(classification)), crisis: verdict, abusive };
    } else {
      ctx.nlu = { intent: OUT_OF_SCOPE, confidence: 0, top: [], model: 'none', crisis, abusive };
    }
    await next();
  };
}
