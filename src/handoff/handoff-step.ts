/**
 * The handoff's turn steps, placed after understanding and before the crisis guard and the owner
 * check (turn/pipeline.ts lists them with their guards):
 *  - keepAbuseEvidence: flags an abusive message for the console;
 *  - captureSurvey: takes survey answers (which arrive after a close) and ends the turn on one;
 *  - queueChoice: the "keep waiting / leave a message" choice of a queued resident;
 *  - acknowledgeQueued: answers any other message of a queued resident (received, position, wait);
 *  - followUp: counts the figures and, after the rest of the turn, alerts supervisors of a crisis,
 *    tells a newly queued resident who joined or where they stand, and asks "did this help?" when
 *    the bot solved a question alone.
 */
import type { EventBus } from '../core/event-port';
import { INTENT, OUT_OF_SCOPE, SURVEY_ANSWER } from '../core/intents';
import { textContent } from '../core/message';
import type { Store } from '../core/store-port';
import type { TurnContext, TurnStep } from '../core/turn-context';
import type { AlertService } from './alert-service';
import type { FigureRecorder } from './figure-recorder';
import type { HandoffLoop } from './handoff-loop';
import type { QueueAcknowledger } from './queue-acknowledger';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import type { SurveyService } from './survey-service';

export interface HandoffStepDeps {
  store: Store;
  bus: EventBus;
  surveys: SurveyService;
  loop: HandoffLoop;
  alerts: AlertService;
  figures: FigureRecorder;
  acknowledger: QueueAcknowledger;
}

export interface HandoffSteps {
  /** Guard: the message is abusive. Always goes on. */
  keepAbuseEvidence: TurnStep;
  /** Guard: not a crisis (a crisis always reaches the crisis guard, even mid-survey). */
  captureSurvey: TurnStep;
  /** Guard: a queued resident pressed a queue-choice button. Ends the turn. */
  queueChoice: TurnStep;
  /** Guard: the conversation is queued and the message is not a crisis. Ends the turn. */
  acknowledgeQueued: TurnStep;
  /** Wraps the rest of the turn. */
  followUp: TurnStep;
}

/** Intents after which "thanks" does not mean the bot solved something. */
const NOT_AN_ANSWER = new Set<string>([INTENT.greeting, INTENT.thanksGoodbye, SURVEY_ANSWER, OUT_OF_SCOPE, INTENT.counselorRequest]);

export function handoffSteps(deps: HandoffStepDeps): HandoffSteps {
  return {
    keepAbuseEvidence: async (ctx, next) => {
      await protect(ctx, 'could not keep the abuse flag', () => flagAbusive(deps, ctx));
      await next();
    },
    captureSurvey: async (ctx, next) => {
      if (await deps.surveys.capture(ctx)) return;
      await next();
    },
    // Ends the turn: the choice is all the message says.
    queueChoice: async (ctx, next) => {
      if (ctx.button?.kind !== 'queue-choice') return next();
      await queueChoice(deps, ctx, ctx.button.choice);
    },
    // Ends the turn: while queued the counselor answers, the bot only says the message arrived.
    acknowledgeQueued: async (ctx) => {
      if (ctx.conversation.state !== 'queued') return;
      await protect(ctx, 'could not acknowledge the queued message', async () => {
        const ack = await deps.acknowledger.acknowledge(ctx.conversation);
        if (ack) ctx.replies.push({ author: 'system', content: ack });
      });
    },
    followUp: (ctx, next) => followUp(deps, ctx, next),
  };
}

async function followUp(deps: HandoffStepDeps, ctx: TurnContext, next: () => Promise<void>): Promise<void> {
  const before = { seq: ctx.conversation.handoffSeq, lastIntent: ctx.conversation.lastIntent };
  await deps.figures.record(ctx.inbound.createdAt, turnFigures(ctx, await firstResidentMessage(deps, ctx)));

  await next();

  const { conversation } = ctx;
  // Side effects after the turn must never cost the resident the replies already queued
  // (a failed alert would otherwise turn the crisis text into an apology).
  if (ctx.nlu?.crisis) {
    await protect(ctx, 'could not raise the crisis alert', () => deps.alerts.raise({
      key: `crisis:${conversation.id}:${conversation.handoffSeq}`,
      kind: 'crisis',
      conversationId: conversation.id,
      message: tr('staff.alert.crisis', STAFF_LANGUAGE, { language: conversation.language, channel: conversation.channel }),
      raisedBy: 'bot',
      details: { messageId: ctx.inbound.id, state: conversation.state },
    }));
  }
  const escalated = conversation.handoffSeq !== before.seq && conversation.state === 'queued';
  if (escalated) {
    if (before.seq === 0) await deps.figures.record(new Date(), ['escalated', `escalated:${conversation.priority}`]);
    // What the resident wanted when they were handed over is what the counselor should see first.
    if (ctx.nlu && ctx.nlu.intent !== OUT_OF_SCOPE && ctx.nlu.intent !== conversation.lastIntent) await ctx.update({ lastIntent: ctx.nlu.intent });
    // If this fails, the next queue pass routes the chat and tells the resident instead.
    await protect(ctx, 'could not route the newly queued chat', async () => ctx.replies.push(...(await deps.loop.onTurnEscalated(ctx.conversation))));
    return;
  }
  const solvedAlone =
    conversation.state === 'bot' &&
    conversation.handoffSeq === 0 &&
    ctx.nlu?.intent === INTENT.thanksGoodbye &&
    before.lastIntent !== undefined &&
    !NOT_AN_ANSWER.has(before.lastIntent) &&
    ctx.replies.length > 0;
  if (solvedAlone) await protect(ctx, 'could not offer the helpful survey', () => deps.surveys.offerHelpful(ctx));
}

async function protect(ctx: TurnContext, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    ctx.logger.error({ err, conversationId: ctx.conversation.id }, what);
  }
}

/** Keeps the flag as evidence (the message itself is never edited) and refreshes consoles. */
async function flagAbusive(deps: HandoffStepDeps, ctx: TurnContext): Promise<void> {
  await deps.store.messageFlags.flag({ messageId: ctx.inbound.id, conversationId: ctx.conversation.id, kind: 'abusive', at: new Date() });
  deps.bus.publish('conversation', { conversation: ctx.conversation, reason: 'flagged' });
}

async function queueChoice(deps: HandoffStepDeps, ctx: TurnContext, choice: 'keep-waiting' | 'leave-message'): Promise<void> {
  const leave = choice === 'leave-message';
  if (leave) {
    const id = `${ctx.conversation.id}:${ctx.conversation.handoffSeq}`;
    const episode = await deps.store.episodes.get(id);
    if (episode) await deps.store.episodes.update(id, { callback: true });
  }
  // A hearing-impaired resident cannot take a phone call: ask how to reach them in writing.
  const prompt = ctx.conversation.hearingImpaired ? 'resident.handoff.leaveMessagePromptText' : 'resident.handoff.leaveMessagePrompt';
  ctx.replies.push({ author: 'system', content: textContent(tr(leave ? prompt : 'resident.handoff.keepWaitingAck', ctx.language)) });
}

/**
 * Whether the turn's message is the conversation's first from the resident: seq 1, or seq 2 after
 * the welcome an app or web chat session opened with (only then is seq 1 the bot's).
 */
async function firstResidentMessage(deps: HandoffStepDeps, ctx: TurnContext): Promise<boolean> {
  if (ctx.inbound.seq === 1) return true;
  if (ctx.inbound.seq !== 2) return false;
  const [first] = await deps.store.messages.listByConversation(ctx.conversation.id, { limit: 1 });
  return first?.direction === 'outbound';
}

/** Counters of one turn: a new conversation (its first message), and the intent asked. */
function turnFigures(ctx: TurnContext, first: boolean): string[] {
  const keys: string[] = [];
  if (first) keys.push('conversations', `channel:${ctx.conversation.channel}`, `language:${ctx.language}`);
  if (ctx.nlu && ctx.nlu.model !== 'none') keys.push(`intent:${ctx.nlu.intent}`);
  return keys;
}
