/**
 * The crisis decision in context: a message is read together with what its conversation was doing,
 * so the everyday language of a call center (impatience in the queue, a thank-you as a survey
 * comment, "더워 죽겠어요") is not taken for a crisis, while a real crisis is one in any context.
 */
import type { ConversationState, Priority } from './conversation';
import type { Survey } from './handoff-port';
import { CRISIS_INTENT, OUT_OF_SCOPE, type Classification, type QueryVector } from './nlu-port';

/** What the bot last asked and is waiting for an answer to. */
export type AwaitedAnswer = 'survey_score' | 'survey_comment' | 'flow_slot';

/** What the conversation was doing when the message came, as far as reading a crisis needs it. */
export interface CrisisContext {
  /** Who owns the conversation ('queued': the resident is waiting for a counselor). */
  state?: ConversationState;
  /** The conversation's priority ('crisis': it already is a crisis conversation). */
  priority?: Priority;
  /** What the bot is waiting for, if it asked something. */
  awaiting?: AwaitedAnswer;
  /** Intent of the previous turn. */
  lastIntent?: string;
}

/** A crisis decision and the rule that made it (logs, benchmarks). */
export interface CrisisVerdict {
  crisis: boolean;
  reason: string;
}

export interface CrisisJudgeInput {
  text: string;
  language?: string;
  /** The message's classification (after the short-text rule). */
  classification: Classification;
  /** The message's query embedding when the classification made one (the learned crisis head reads it). */
  vector?: QueryVector;
  /** The conversation's context, read only when the signals are borderline (it may cost a store read). */
  context: () => Promise<CrisisContext>;
}

export interface CrisisJudge {
  /** Decides whether a message is a crisis; recall first, so it never throws for lack of context. */
  judge(input: CrisisJudgeInput): Promise<CrisisVerdict>;
}

/**
 * The classification with crisis_support replaced by the best other intent (out of scope when
 * there is none): for a message the crisis decision cleared, so no step answers it as a crisis.
 */
export function withoutCrisisIntent(c: Classification): Classification {
  if (c.intent !== CRISIS_INTENT) return c;
  const next = c.top.find((t) => t.intent !== CRISIS_INTENT);
  return next ? { ...c, intent: next.intent, confidence: next.confidence } : { ...c, intent: OUT_OF_SCOPE, confidence: 0 };
}

/** What a pending satisfaction survey waits for, as the crisis decision reads it. */
export function surveyAwaiting(survey: Pick<Survey, 'step'> | undefined): AwaitedAnswer | undefined {
  if (!survey?.step) return undefined;
  return survey.step === 'comment' ? 'survey_comment' : 'survey_score';
}
