/**
 * Answers questions from the FAQ knowledge base: the best entry when the retriever is confident,
 * in the resident's language (or Korean with a one-line note), with its links, the active notices
 * of its intent and related questions as quick replies. When not confident it does not guess: the
 * intent step after it answers or asks to rephrase, and the message is kept for review.
 */
import type { FaqEntry, KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import type { QuickReply } from '../core/message';
import { OUT_OF_SCOPE } from '../core/nlu-port';
import type { NoticeService } from '../notices/notice-service';
import { noticeText } from '../notices/notice-service';
import { tr } from '../i18n/translate';
import type { TurnContext, TurnStep } from '../turn/turn-context';
import { INTENT_PAYLOAD_PREFIX } from '../turn/steps/understand';
import type { UnansweredRecorder } from './unanswered-recorder';
import { pickLocalized } from '../core/localized';

export const FAQ_PAYLOAD = { ask: 'faq:ask:', notHelpful: 'faq:unhelpful:' } as const;

/** Intents other steps own: the FAQ stays out of their way. */
const NOT_FOR_FAQ = new Set(['greeting', 'thanks_goodbye', 'counselor_request']);

export interface FaqAnswerDeps {
  knowledge: KnowledgeRetriever & { entry(id: string): FaqEntry | undefined; entries(): readonly FaqEntry[] };
  notices: NoticeService;
  unanswered: UnansweredRecorder;
  /** The resident's last text question in this conversation before a given message sequence number. */
  previousQuestion: (conversationId: string, beforeSeq: number) => Promise<string | undefined>;
  /** Classifier confidence at which NOT_FOR_FAQ intents are left to the intent step. */
  minIntentConfidence: number;
  /** Related questions offered as quick replies. */
  relatedCount?: number;
}

/** The entry's question in the resident's language (English, then Korean, as fallbacks). */
function questionLabel(entry: FaqEntry, language: string): string {
  return pickLocalized(entry.questions, language)?.[0] ?? entry.id;
}

export function faqAnswerStep(deps: FaqAnswerDeps): TurnStep {
  const related = deps.relatedCount ?? 3;

  async function answer(ctx: TurnContext, entry: FaqEntry, result?: RetrievalResult): Promise<void> {
    const lang = ctx.language;
    const own = entry.answer[lang];
    const lines = [own ?? `${entry.answer.ko}\n${tr('resident.faq.languageFallback', lang)}`.trim()];
    const notices = await deps.notices.forIntent(entry.intent);
    if (notices.length)
      lines.push('', tr('resident.faq.noticesHeader', lang), ...notices.map((n) => noticeText(n, lang)));
    const others = [
      ...(result?.hits ?? []).map((h) => h.entry),
      ...deps.knowledge.entries().filter((e) => e.intent === entry.intent),
    ].filter((e, i, all) => e.id !== entry.id && all.findIndex((x) => x.id === e.id) === i);
    const quickReplies: QuickReply[] = [
      ...others
        .slice(0, related)
        .map((e) => ({ label: questionLabel(e, lang), payload: `${FAQ_PAYLOAD.ask}${e.id}` })),
      { label: tr('resident.button.notHelpful', lang), payload: `${FAQ_PAYLOAD.notHelpful}${entry.id}` },
    ];
    ctx.reply({ text: lines.join('\n'), ...(entry.links.length && { links: entry.links }), quickReplies });
    await ctx.update({ misses: 0, lastIntent: entry.intent });
  }

  return async (ctx, next) => {
    const payload = ctx.payload;
    if (payload?.startsWith(FAQ_PAYLOAD.ask)) {
      const entry = deps.knowledge.entry(payload.slice(FAQ_PAYLOAD.ask.length));
      if (entry) return answer(ctx, entry);
    }
    if (payload?.startsWith(FAQ_PAYLOAD.notHelpful)) {
      const faqId = payload.slice(FAQ_PAYLOAD.notHelpful.length);
      const question = await deps.previousQuestion(ctx.conversation.id, ctx.inbound.seq);
      if (question)
        await deps.unanswered.record({
          text: question,
          language: ctx.language,
          reason: 'not_helpful',
          faqId,
          residentId: ctx.conversation.residentId,
        });
      ctx.reply({
        text: tr('resident.faq.sorry', ctx.language),
        quickReplies: [
          {
            label: tr('resident.button.talkToCounselor', ctx.language),
            payload: `${INTENT_PAYLOAD_PREFIX}counselor_request`,
          },
        ],
      });
      return;
    }
    const nlu = ctx.nlu;
    const confidentIntent =
      nlu && nlu.intent !== OUT_OF_SCOPE && nlu.confidence >= deps.minIntentConfidence
        ? nlu.intent
        : undefined;
    if (
      !ctx.text ||
      (confidentIntent && NOT_FOR_FAQ.has(confidentIntent)) ||
      payload?.startsWith(INTENT_PAYLOAD_PREFIX)
    )
      return next();

    const result = await deps.knowledge.search(ctx.text, ctx.language, related + 1);
    if (result.answerable && result.best) return answer(ctx, result.best.entry, result);

    const missesBefore = ctx.conversation.misses;
    const repliesBefore = ctx.replies.length;
    await next();
    if (ctx.conversation.misses > missesBefore) {
      // Neither the FAQ nor the intent step understood it: keep it for staff review.
      await deps.unanswered.record({
        text: ctx.text,
        language: ctx.language,
        reason: 'low_confidence',
        residentId: ctx.conversation.residentId,
        ...(nlu && nlu.intent !== OUT_OF_SCOPE && { intent: nlu.intent }),
        ...(result.best && { faqId: result.best.entry.id }),
      });
    } else if (confidentIntent && ctx.replies.length > repliesBefore && ctx.conversation.state === 'bot') {
      // The intent step answered: its notices belong with that answer too.
      const notices = await deps.notices.forIntent(confidentIntent);
      if (notices.length)
        ctx.reply(
          [tr('resident.faq.noticesHeader', ctx.language), ...notices.map((n) => noticeText(n, ctx.language))].join(
            '\n',
          ),
        );
    }
  };
}
