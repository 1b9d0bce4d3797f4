import { performance } from 'node:perf_hooks';
import type { AwaitedAnswer, CrisisContext, CrisisJudge } from '../../core/crisis-port';
import { withoutCrisisIntent } from '../../core/crisis-port';
import type { AbuseDetector, CrisisDetector, IntentClassifier } from '../../core/nlu-port';
import { CRISIS_INTENT, OUT_OF_SCOPE, withoutShortTextCrisis } from '../../core/nlu-port';
import type { TurnContext, TurnStep } from '../../core/turn-context';
import { classifyInTurn } from '../../core/turn-encoder-memo';

export interface UnderstandDeps {
  classifier: () => IntentClassifier;
  crisis: CrisisDetector;
  abuse?: AbuseDetector;
  /** Decides crisis with the conversation's context; without it, lexicon or model decide alone. */
  judge?: CrisisJudge;
  /** What the bot waits for beyond the conversation record (a pending survey answer). */
  awaiting?: (ctx: TurnContext) => Promise<AwaitedAnswer | undefined>;
}

/** Crisis verdict reasons that mean "crisis-like words, everyday talk" (nlu/crisis-decision.ts). */
const EVERYDAY_REASON = /^(everyday:|context-farewell$|context-model$)/;

/** What the crisis decision needs to know about the conversation (read only when it asks). */
async function crisisContext(ctx: TurnContext, deps: UnderstandDeps): Promise<CrisisContext> {
  const c = ctx.conversation;
  const awaiting = (await deps.awaiting?.(ctx)) ?? (c.flow ? 'flow_slot' : undefined);
  return { state: c.state, priority: c.priority, lastIntent: c.lastIntent, ...(awaiting && { awaiting }) };
}

/**
 * Classifies the message and flags crisis and abuse; the result lands in ctx.nlu.
 *
 * A button press is an event, not words: its label is never classified nor checked for crisis or
 * abuse (the bot wrote it), so "도움이 안 됐어요" or "Keep waiting" cannot start the crisis protocol.
 * An intent button selects its intent; every other press leaves the intent open for the step that
 * owns the button (flow, survey, queue, FAQ, transit).
 */
export function understandStep(deps: UnderstandDeps): TurnStep {
  return async (ctx, next) => {
    if (ctx.inbound.content.kind === 'button') {
      const intent = ctx.button?.kind === 'intent' ? ctx.button.intent : undefined;
      ctx.nlu = intent
        ? { intent, confidence: 1, top: [{ intent, confidence: 1 }], model: 'payload', crisis: false, abusive: false }
        : { intent: OUT_OF_SCOPE, confidence: 0, top: [], model: 'payload', crisis: false, abusive: false };
      return next();
    }
    const crisis = ctx.text ? deps.crisis.isCrisis(ctx.text) : false;
    const abusive = ctx.text && deps.abuse ? deps.abuse.isAbusive(ctx.text) : false;
    if (ctx.text) {
      const started = performance.now();
      // Through the turn's memo: the text's embedding is kept for the FAQ search, and a later
      // classification of the same words (the two-needs step's) is this one.
      const { vector, ...raw } = await classifyInTurn(ctx, deps.classifier(), ctx.text, ctx.language);
      const classification = withoutShortTextCrisis(raw, ctx.text);
      const latencyMs = performance.now() - started;
      const judged = deps.judge
        ? await deps.judge.judge({
            text: ctx.text,
            language: ctx.language,
            classification,
            ...(vector && { vector }),
            context: () => crisisContext(ctx, deps),
          })
        : undefined;
      const verdict = judged ? judged.crisis : crisis || classification.intent === CRISIS_INTENT;
      const everydayTalk = judged !== undefined && !judged.crisis && EVERYDAY_REASON.test(judged.reason);
      ctx.nlu = {
        ...(verdict ? classification : withoutCrisisIntent(classification)),
        crisis: verdict,
        abusive,
        latencyMs,
        ...(everydayTalk && { everydayTalk }),
      };
    } else {
      ctx.nlu = { intent: OUT_OF_SCOPE, confidence: 0, top: [], model: 'none', crisis, abusive };
    }
    await next();
  };
}
