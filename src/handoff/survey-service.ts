/**
 * Satisfaction surveys in the resident's own channel format. After a counselor closes a chat:
 * kindness, professionalism and promptness 1–5 (the center's published measures) one question at
 * a time, then an optional comment. After the bot solved a question alone: one-tap "did this
 * help?". Buttons where the channel has them (payload `survey:<id>:<dimension>:<score>`), a
 * number reply otherwise. Answers arrive after the close, so the survey stays pending on the
 * resident's channel identity and the turn step hands every inbound message to capture() first.
 */
import type { Conversation } from '../core/conversation';
import { SURVEY_DIMENSIONS, type Survey, type SurveyDimension, type SurveyPatch } from '../core/handoff-port';
import type { Logger } from '../core/logger-port';
import type { MessageContent } from '../core/message';
import type { Store } from '../core/store-port';
import type { ChannelDirectory } from '../turn/channel-directory';
import type { Gateway } from '../turn/gateway';
import type { TurnContext } from '../turn/turn-context';
import type { ResidentKey } from '../i18n/locales';
import { tr } from '../i18n/translate';

export const SURVEY_PAYLOAD_PREFIX = 'survey:';

const QUESTION: Record<SurveyDimension, ResidentKey> = {
  kindness: 'resident.survey.kindness',
  professionalism: 'resident.survey.professionalism',
  promptness: 'resident.survey.promptness',
};

const YES = /^(y|yes|네|예|응|네네|có|是|有|はい)$/iu;
const NO = /^(n|no|아니(요|오)?|không|否|没有|いいえ)$/iu;

export interface SurveyServiceDeps {
  store: Store;
  channels: ChannelDirectory;
  gateway: () => Gateway;
  surveyTtlMs: number;
  logger: Logger;
}

/** A parsed answer: a score, a comment (or its skip), or a yes/no. */
type Answer =
  | { kind: 'score'; dimension: SurveyDimension; score: number }
  | { kind: 'comment'; text?: string }
  | { kind: 'helpful'; helpful: boolean };

export class SurveyService {
  constructor(private readonly deps: SurveyServiceDeps) {}

  /** Starts the satisfaction survey of a closed conversation (first question goes out now). */
  async sendCsat(conversation: Conversation, counselorId: string): Promise<Survey | undefined> {
    try {
      const survey = await this.create(conversation, 'csat', 'kindness', counselorId);
      const first = this.question(survey, 'kindness', conversation.channel);
      await this.deps.gateway().send(conversation, [
        { author: 'system', content: { text: tr('resident.survey.intro', survey.language) } },
        { author: 'system', content: first },
      ]);
      return survey;
    } catch (err) {
      this.deps.logger.error({ err, conversationId: conversation.id }, 'could not send the satisfaction survey');
      return undefined;
    }
  }

  /** Adds the one-tap "did this help?" to the current bot turn. */
  async offerHelpful(ctx: TurnContext): Promise<void> {
    const survey = await this.create(ctx.conversation, 'helpful', 'helpful');
    const yes = `${SURVEY_PAYLOAD_PREFIX}${survey.id}:helpful:yes`;
    const no = `${SURVEY_PAYLOAD_PREFIX}${survey.id}:helpful:no`;
    const buttons = this.maxButtons(ctx.conversation.channel) >= 2;
    ctx.replies.push({
      author: 'bot',
      content: {
        text: tr('resident.survey.helpfulQuestion', survey.language) + (buttons ? '' : ` (${tr('resident.button.helpedYes', survey.language)} / ${tr('resident.button.helpedNo', survey.language)})`),
        ...(buttons && {
          quickReplies: [
            { label: tr('resident.button.helpedYes', survey.language), payload: yes },
            { label: tr('resident.button.helpedNo', survey.language), payload: no },
          ],
        }),
      },
    });
  }

  /**
   * Records the inbound message as a survey answer when it is one, replying with the next
   * question or thanks. Returns false (and lets the turn go on) when it is not an answer; an
   * unrelated message ends a survey still waiting for scores, so later messages are never taken
   * for answers.
   */
  async capture(ctx: TurnContext): Promise<boolean> {
    const { store } = this.deps;
    const now = new Date();
    const survey = await this.pendingFor(ctx, now);
    if (!survey) return false;
    const answer = this.parse(survey, ctx);
    if (!answer) {
      if (survey.step !== 'comment') await store.surveys.update(survey.id, { status: 'expired' });
      else await store.surveys.update(survey.id, { status: 'complete', completedAt: now, step: undefined });
      return false;
    }
    const patch: SurveyPatch = {};
    if (answer.kind === 'score') patch.scores = { ...survey.scores, [answer.dimension]: answer.score };
    if (answer.kind === 'comment' && answer.text) patch.comment = answer.text.slice(0, 2000);
    if (answer.kind === 'helpful') patch.helpful = answer.helpful;
    const scores = patch.scores ?? survey.scores;
    const missing = SURVEY_DIMENSIONS.find((d) => scores[d] === undefined);
    const next: Survey['step'] | undefined =
      survey.kind === 'helpful' || answer.kind === 'comment' ? undefined : (missing ?? 'comment');
    if (next) patch.step = next;
    else Object.assign(patch, { step: undefined, status: 'complete', completedAt: now });
    const updated = await store.surveys.update(survey.id, patch);
    await store.audit.record({ actor: 'resident', action: 'survey.answer', subject: survey.conversationId, details: { surveyId: survey.id, answer: answer.kind } });

    const language = survey.language;
    if (next === 'comment') {
      ctx.replies.push({
        author: 'system',
        content: {
          text: tr('resident.survey.comment', language),
          quickReplies: [{ label: tr('resident.button.skip', language), payload: `${SURVEY_PAYLOAD_PREFIX}${survey.id}:comment:skip` }],
        },
      });
    } else if (next) {
      ctx.replies.push({ author: 'system', content: this.question(updated, next as SurveyDimension, ctx.conversation.channel) });
    } else {
      ctx.replies.push({ author: 'system', content: { text: tr(survey.kind === 'helpful' ? 'resident.survey.helpfulThanks' : 'resident.survey.thanks', language) } });
    }
    // The answer opened a fresh conversation (the surveyed one was closed): close it again once
    // the survey is done, so a survey answer does not count as a new contact.
    if (!next && ctx.conversation.id !== survey.conversationId && ctx.conversation.state === 'bot') {
      await ctx.update({ state: 'closed', closedAt: now, lastIntent: 'survey' });
    }
    return true;
  }

  private async pendingFor(ctx: TurnContext, now: Date): Promise<Survey | undefined> {
    const { store } = this.deps;
    // A pressed button names its survey, which may not be the newest one.
    const named = ctx.payload?.startsWith(SURVEY_PAYLOAD_PREFIX) ? ctx.payload.split(':')[1] : undefined;
    if (named) {
      const survey = await store.surveys.get(named);
      const mine = survey && survey.channel === ctx.conversation.channel && survey.externalUserId === ctx.conversation.externalUserId;
      if (mine && survey.status === 'pending' && survey.expiresAt > now) return survey;
    }
    return store.surveys.findPending(ctx.conversation.channel, ctx.conversation.externalUserId, now);
  }

  private parse(survey: Survey, ctx: TurnContext): Answer | undefined {
    const payload = ctx.payload;
    if (payload?.startsWith(`${SURVEY_PAYLOAD_PREFIX}${survey.id}:`)) {
      const [, , what, value] = payload.split(':');
      if (what === 'comment') return { kind: 'comment' };
      if (what === 'helpful') return { kind: 'helpful', helpful: value === 'yes' };
      const score = Number(value);
      if ((SURVEY_DIMENSIONS as readonly string[]).includes(what ?? '') && Number.isInteger(score) && score >= 1 && score <= 5) {
        return { kind: 'score', dimension: what as SurveyDimension, score };
      }
      return undefined;
    }
    const text = ctx.text.trim();
    if (survey.step === 'helpful') {
      if (YES.test(text)) return { kind: 'helpful', helpful: true };
      if (NO.test(text)) return { kind: 'helpful', helpful: false };
      return undefined;
    }
    // A pressed button that is not ours (e.g. "talk to a counselor") is not a comment.
    if (survey.step === 'comment') return text && !payload ? { kind: 'comment', text } : undefined;
    const digits = /^([1-5])\s*(점|점요|point|points|分|điểm|点)?\.?$/iu.exec(text);
    if (digits && survey.step) return { kind: 'score', dimension: survey.step as SurveyDimension, score: Number(digits[1]) };
    return undefined;
  }

  private question(survey: Survey, dimension: SurveyDimension, channel: string): MessageContent {
    const text = tr(QUESTION[dimension], survey.language);
    if (this.maxButtons(channel) < 5) return { text: `${text} ${tr('resident.survey.numberHint', survey.language)}` };
    return {
      text,
      quickReplies: [1, 2, 3, 4, 5].map((n) => ({ label: String(n), payload: `${SURVEY_PAYLOAD_PREFIX}${survey.id}:${dimension}:${n}` })),
    };
  }

  private maxButtons(channel: string): number {
    return this.deps.channels.get(channel)?.capabilities.maxQuickReplies ?? 0;
  }

  private create(conversation: Conversation, kind: Survey['kind'], step: Survey['step'], counselorId?: string): Promise<Survey> {
    const now = new Date();
    return this.deps.store.surveys.create({
      kind,
      conversationId: conversation.id,
      residentId: conversation.residentId,
      channel: conversation.channel,
      externalUserId: conversation.externalUserId,
      language: conversation.language,
      ...(counselorId && { counselorId }),
      status: 'pending',
      step,
      scores: {},
      sentAt: now,
      expiresAt: new Date(now.getTime() + this.deps.surveyTtlMs),
    });
  }
}
