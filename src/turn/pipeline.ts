/**
 * The turn pipeline as a list: every step of a bot turn in order, each with the condition under
 * which it runs (telegraf's Composer guards are the model). A step runs when its guard holds and
 * otherwise is passed over; a step ends the turn by not calling `next()`.
 */
import type { TurnContext, TurnStep } from '../core/turn-context';

/** A condition on the turn. */
export type Guard = (ctx: TurnContext) => boolean;

/** Runs `steps` in order when the guard holds, then goes on; passes them over otherwise. */
export function when(guard: Guard, ...steps: TurnStep[]): TurnStep {
  const run = steps.length === 1 ? steps[0]! : chain(steps);
  return (ctx, next) => (guard(ctx) ? run(ctx, next) : next());
}

/** Steps composed into one step: the last one's next() is the outer next(). */
export function chain(steps: TurnStep[]): TurnStep {
  return (ctx, next) => {
    const run = async (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return next();
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

/** Composes steps left to right into a turn; a step that does not call next() ends the turn. */
export function composeSteps(steps: TurnStep[]): (ctx: TurnContext) => Promise<void> {
  const all = chain(steps);
  return (ctx) => all(ctx, async () => undefined);
}

export const isCrisis: Guard = (ctx) => Boolean(ctx.nlu?.crisis);
export const isAbusive: Guard = (ctx) => Boolean(ctx.nlu?.abusive);
/**
 * A queued resident chose to keep waiting or to leave a message; or a resident with a counselor
 * chose to leave a message for a callback (offered when no interpreter was on standby).
 */
export const isQueueChoice: Guard = (ctx) =>
  ctx.button?.kind === 'queue-choice' &&
  (ctx.conversation.state === 'queued' || (ctx.conversation.state === 'assigned' && ctx.button.choice === 'leave-message'));
/** A queued resident wrote something other than a crisis: the bot only acknowledges it. */
export const isQueuedMessage: Guard = (ctx) => ctx.conversation.state === 'queued' && !ctx.nlu?.crisis;
/** The bot stays silent while the queue or a counselor owns the conversation. */
export const botMayAnswer: Guard = (ctx) => ctx.conversation.state !== 'queued' && ctx.conversation.state !== 'assigned';
const not =
  (guard: Guard): Guard =>
  (ctx) =>
    !guard(ctx);

/** The steps of a bot turn, supplied by the feature modules (main.ts wires them). */
export interface PipelineSteps {
  /** Detects the message language and keeps it on the conversation. */
  detectLanguage: TurnStep;
  /** Wraps the rest: tells a resident in a language without whole texts, once, that answers come in English. */
  languageNotice: TurnStep;
  /** Intent, crisis and abuse verdicts into ctx.nlu. */
  understand: TurnStep;
  /** Marks a resident who asks for sign language or says they are deaf, in any state (accessibility). */
  markHearingImpaired: TurnStep;
  /** Abuse evidence for the console (handoff). */
  keepAbuseEvidence: TurnStep;
  /** Survey answers, which arrive after a close; ends the turn on one (handoff). */
  captureSurvey: TurnStep;
  /** "Keep waiting / leave a message" buttons of a queued resident; ends the turn (handoff). */
  queueChoice: TurnStep;
  /** Figures, and after the turn: crisis alert, queue notice, "did this help?" (handoff). */
  handoffFollowUp: TurnStep;
  /** Received, position and wait for a queued resident's message, at most every 30 s; ends the turn (handoff). */
  acknowledgeQueued: TurnStep;
  /** Puts an active guided flow on hold (flows). */
  pauseFlow: TurnStep;
  /** Safe-messaging reply and the top of the queue; ends the turn. */
  crisisGuard: TurnStep;
  /** One message with two needs: names both and lets the resident pick (knowledge). */
  twoNeeds: TurnStep;
  /** The welcome before the first answer of a conversation nothing was sent in yet (knowledge). */
  welcome: TurnStep;
  /** Continues or starts guided flows (flows). */
  flow: TurnStep;
  /** Bus and train timetable questions (transit); before the FAQ, which would answer them generally. */
  transit: TurnStep;
  /** Sign-language requests: text chat with a counselor offered at once, the video service named (accessibility). */
  signLanguage: TurnStep;
  /** Answers from the FAQ when confident (knowledge). */
  faq: TurnStep;
  /** Short intent replies, rephrase, counselor offer and request. */
  answerIntent: TurnStep;
}

/**
 * The steps under their names: a step that ends the turn (does not call next()) leaves its name in
 * `ctx.endedBy`, so each turn's log line and metrics say what answered it.
 */
export function namedSteps(steps: PipelineSteps): PipelineSteps {
  const named = {} as Record<keyof PipelineSteps, TurnStep>;
  for (const [name, step] of Object.entries(steps) as [keyof PipelineSteps, TurnStep][]) {
    named[name] = async (ctx, next) => {
      let passedOn = false;
      await step(ctx, () => {
        passedOn = true;
        return next();
      });
      if (!passedOn) ctx.endedBy ??= name;
    };
  }
  return named;
}

/** The bot turn, in order. */
export function turnPipeline(steps: PipelineSteps): (ctx: TurnContext) => Promise<void> {
  const s = namedSteps(steps);
  return composeSteps([
    s.detectLanguage,
    s.languageNotice,
    s.understand,
    s.markHearingImpaired,
    when(isAbusive, s.keepAbuseEvidence),
    // A crisis always reaches the crisis guard, even in the middle of a survey.
    when(not(isCrisis), s.captureSurvey),
    when(isQueueChoice, s.queueChoice),
    s.handoffFollowUp,
    when(isQueuedMessage, s.acknowledgeQueued),
    when(isCrisis, s.pauseFlow, s.crisisGuard),
    // The welcome only where the bot answers: a crisis gets the crisis lines alone, a survey answer its thanks.
    when(botMayAnswer, s.welcome, s.twoNeeds, s.flow, s.transit, s.signLanguage, s.faq, s.answerIntent),
  ]);
}
