/**
 * The handoff's turn step, placed after understanding and before the crisis guard and the owner
 * routing. It keeps abuse evidence, takes survey answers (which arrive after a close), handles the
 * "keep waiting / leave a message" choice of a queued resident, counts the figures, and after the
 * rest of the turn: alerts supervisors of a crisis, tells a newly queued resident who joined or
 * where they stand, and asks "did this help?" when the bot solved a question alone.
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import type { Store } from '../core/store-port';
import type { MessageBus } from '../turn/message-bus';
import type { TurnContext, TurnStep } from '../turn/turn-context';
import type { AlertService } from './alert-service';
import type { FigureRecorder } from './figure-recorder';
import type { HandoffLoop } from './handoff-loop';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import { KEEP_WAITING_PAYLOAD, LEAVE_MESSAGE_PAYLOAD } from './queue-notifier';
import type { SurveyService } from './survey-service';

export interface HandoffStepDeps {
  store: Store;
  bus: MessageBus;
  surveys: SurveyService;
  loop: HandoffLoop;
  alerts: AlertService;
  figures: FigureRecorder;
}

/** Intents after which "thanks" does not mean the bot solved something. */
const NOT_AN_ANSWER = new Set(['greeting', 'thanks_goodbye', 'survey', 'out_of_scope', 'counselor_request']);

export function handoffStep(deps: HandoffStepDeps): TurnStep {
  return async (ctx, next) => {
    if (ctx.nlu?.abusive) await protect(ctx, 'could not keep the abuse flag', () => flagAbusive(deps, ctx));
    // A crisis always goes through the crisis guard, even in the middle of a survey.
    if (!ctx.nlu?.crisis && (await deps.surveys.capture(ctx))) return;
    if (ctx.conversation.state === 'queued' && (ctx.payload === KEEP_WAITING_PAYLOAD || ctx.payload === LEAVE_MESSAGE_PAYLOAD)) {
      await queueChoice(deps, ctx);
      return;
    }
    const before = { seq: ctx.conversation.handoffSeq, lastIntent: ctx.conversation.lastIntent };
    await deps.figures.record(ctx.inbound.createdAt, turnFigures(ctx));

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
      ctx.nlu?.intent === 'thanks_goodbye' &&
      before.lastIntent !== undefined &&
      !NOT_AN_ANSWER.has(before.lastIntent) &&
      ctx.replies.length > 0;
    if (solvedAlone) await protect(ctx, 'could not offer the helpful survey', () => deps.surveys.offerHelpful(ctx));
  };
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
  deps.bus.emit('conversation', ctx.conversation, { reason: 'flagged' });
}

async function queueChoice(deps: HandoffStepDeps, ctx: TurnContext): Promise<void> {
  const leave = ctx.payload === LEAVE_MESSAGE_PAYLOAD;
  if (leave) {
    const id = `${ctx.conversation.id}:${ctx.conversation.handoffSeq}`;
    const episode = await deps.store.episodes.get(id);
    if (episode) await deps.store.episodes.update(id, { callback: true });
  }
  ctx.replies.push({ author: 'system', content: { text: tr(leave ? 'resident.handoff.leaveMessagePrompt' : 'resident.handoff.keepWaitingAck', ctx.language) } });
}

/** Counters of one turn: a new conversation (its first message), and the intent asked. */
function turnFigures(ctx: TurnContext): string[] {
  const keys: string[] = [];
  if (ctx.inbound.seq === 1) keys.push('conversations', `channel:${ctx.conversation.channel}`, `language:${ctx.language}`);
  if (ctx.nlu && ctx.nlu.model !== 'none') keys.push(`intent:${ctx.nlu.intent}`);
  return keys;
}
