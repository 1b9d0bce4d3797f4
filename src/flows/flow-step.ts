/**
 * Turn steps for guided flows. `pauseFlowOnCrisisStep` runs before the crisis guard so a crisis
 * puts an active flow on hold instead of losing it; `flowStep` continues, starts, pauses, resumes
 * and cancels flows, and lets other questions through to the answer steps.
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import { findReference } from '../tickets/ticket-reference';
import type { TurnContext, TurnStep } from '../turn/turn-context';
import { INTENT_PAYLOAD_PREFIX } from '../turn/steps/understand';
import type { FlowRunner } from './flow-runner';
import type { FlowDefinition } from './flow-schema';
import { controlIntent, FLOW_PAYLOAD } from './flow-inputs';
import { localizedText as pick } from '../core/localized';
import { tr } from '../i18n/translate';

export interface FlowStepOptions {
  /** Classifier confidence needed to start a flow, or to read a message that does not answer the step as another question. */
  startConfidence: number;
  /** Confidence needed to read a would-be description (free text step) as another question instead. */
  interruptConfidence: number;
}

/** A crisis message puts the active flow on hold; the crisis guard then takes over. */
export function pauseFlowOnCrisisStep(runner: FlowRunner): TurnStep {
  return async (ctx, next) => {
    if (ctx.nlu?.crisis && runner.active(ctx) && !runner.isPaused(ctx)) await runner.pause(ctx);
    await next();
  };
}

export function flowStep(runner: FlowRunner, options: FlowStepOptions): TurnStep {
  return async (ctx, next) => {
    const content = ctx.inbound.content;
    const intent = startingIntent(ctx, options.startConfidence);
    const flow = runner.active(ctx);
    // An expired or removed flow is dropped quietly.
    if (!flow && ctx.conversation.flow) await ctx.update({ flow: undefined, slots: {} });

    if (!flow) {
      // Status buttons keep working after the flow that offered them ended.
      if (content.payload === FLOW_PAYLOAD.mine) return runner.lookup(ctx, undefined);
      if (content.payload?.startsWith('flow:ref:'))
        return runner.lookup(ctx, findReference(content.payload.slice('flow:ref:'.length)));
      // A ticket reference in the text is unambiguous, whatever the classifier thinks.
      const starting = runner.forIntent(ctx.text && findReference(ctx.text) ? 'complaint_status' : intent);
      if (starting) return runner.start(ctx, starting, content);
      return next();
    }

    const control = controlIntent(content);
    if (control === 'cancel') return runner.cancel(ctx, flow);

    if (runner.isPaused(ctx)) {
      if (control === 'resume') return runner.resume(ctx, flow);
      const other = runner.forIntent(intent);
      if (other) {
        ctx.reply(tr('resident.flow.replaced', ctx.language, { title: pick(flow.title, ctx.language) }));
        return runner.start(ctx, other, content);
      }
      return answerElsewhere(ctx, next, runner, flow);
    }
    if (control === 'resume') return runner.prompt(ctx, flow, runner.currentStep(ctx, flow));

    const step = runner.currentStep(ctx, flow);
    const reports = [...reportIntents(runner)];
    // Almost any text is a valid description, so only a clear other question interrupts there.
    if (step.type === 'text' && isOtherQuestion(ctx, flow, options.interruptConfidence, reports))
      return pauseAndAnswer(ctx, next, runner, flow);
    if (await runner.answer(ctx, flow, content)) return;
    // It did not answer the step; if it reads as another question, answer that instead of re-asking.
    if (isOtherQuestion(ctx, flow, options.startConfidence, reports))
      return pauseAndAnswer(ctx, next, runner, flow);
    await runner.reask(ctx, flow);
  };
}

/**
 * The classifier's intent when it is confident, or clearly ahead of the runner-up: long report
 * messages spread a lexical classifier's confidence over related intents without changing its pick.
 */
function startingIntent(ctx: TurnContext, minConfidence: number): string | undefined {
  const nlu = ctx.nlu;
  if (!nlu) return undefined;
  if (nlu.intent !== OUT_OF_SCOPE && nlu.confidence >= minConfidence) return nlu.intent;
  const [first, second] = nlu.top;
  if (!first || first.intent === OUT_OF_SCOPE) return undefined;
  return first.confidence >= CLEAR_LEAD.min &&
    first.confidence >= CLEAR_LEAD.ratio * (second?.confidence ?? 0)
    ? first.intent
    : undefined;
}

/** "Clearly ahead": at least this confident and this many times the runner-up. */
const CLEAR_LEAD = { min: 0.25, ratio: 2 };

function reportIntents(runner: FlowRunner): Set<string> {
  const intents = new Set<string>();
  for (const name of ['road_damage_report', 'facility_fault_report', 'illegal_parking_report']) {
    if (runner.forIntent(name)) intents.add(name);
  }
  return intents;
}

/** A button for another intent, or a confident classification of a different, non-report intent. */
function isOtherQuestion(
  ctx: TurnContext,
  flow: FlowDefinition,
  minConfidence: number,
  reports: string[],
): boolean {
  const payload = ctx.inbound.content.payload;
  if (payload?.startsWith(INTENT_PAYLOAD_PREFIX))
    return payload.slice(INTENT_PAYLOAD_PREFIX.length) !== flow.intent;
  const nlu = ctx.nlu;
  if (!nlu || !ctx.text || nlu.intent === OUT_OF_SCOPE || nlu.intent === flow.intent) return false;
  // Describing a report often sounds like another report ("a broken light over the pothole").
  if (reports.includes(nlu.intent)) return false;
  return nlu.confidence >= minConfidence;
}

async function pauseAndAnswer(
  ctx: TurnContext,
  next: () => Promise<void>,
  runner: FlowRunner,
  flow: FlowDefinition,
) {
  await runner.pause(ctx);
  await answerElsewhere(ctx, next, runner, flow);
}

/** Lets the answer steps reply, then offers to continue (unless a human took over meanwhile). */
async function answerElsewhere(
  ctx: TurnContext,
  next: () => Promise<void>,
  runner: FlowRunner,
  flow: FlowDefinition,
) {
  await next();
  if (ctx.conversation.state === 'bot') await runner.remind(ctx, flow);
}
