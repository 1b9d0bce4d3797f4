/**
 * Answers questions from the FAQ knowledge base: the best entry when the retriever is confident,
 * in the resident's language (or Korean with a one-line note), ending with its source and last
 * update, with its links, the active notices of its intent and related questions as quick replies.
 * When not confident it does not guess: the intent step after it answers or asks to rephrase, and
 * the message is kept for review.
 */
import type { FaqEntry, KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import { textContent, type QuickReply } from '../core/message';
import { encodeButton } from '../core/button-payload';
import { INTENT, OUT_OF_SCOPE } from '../core/intents';
import type { NoticeService } from '../notices/notice-service';
import { noticeText } from '../notices/notice-service';
import { tr } from '../i18n/translate';
import { REQUIRED_LANGUAGES } from '../i18n/locales';
import type { TurnContext, TurnStep } from '../core/turn-context';
import type { UnansweredRecorder } from './unanswered-recorder';
import { searchInTurn } from './turn-search-memo';
import { faqSourceLine } from './faq-source';
import { pickLocalized } from '../core/localized';

/** Least classifier confidence in crisis_support for the FAQ to answer with a crisis-line entry. */
const CRISIS_ENTRY_MIN_CONFIDENCE = 0.5;

/** Intents other steps own: the FAQ stays out of their way. */
const NOT_FOR_FAQ = new Set<string>([INTENT.greeting, INTENT.thanksGoodbye, INTENT.counselorRequest]);

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

/**
 * The entry's answer in the resident's language. Languages without a whole set of resident texts
 * (ja, ru...) get the English answer (the turn tells them once that it answers in English); the
 * others get the Korean one with a note until their translation exists.
 */
function answerText(entry: FaqEntry, language: string): string {
  const own = entry.answer[language];
  if (own) return own;
  if (!REQUIRED_LANGUAGES.resident.includes(language) && entry.answer.en) return entry.answer.en;
  return `${entry.answer.ko}\n${tr('resident.faq.languageFallback', language)}`.trim();
}

export function faqAnswerStep(deps: FaqAnswerDeps): TurnStep {
  const related = deps.relatedCount ?? 3;

  async function answer(ctx: TurnContext, entry: FaqEntry, result?: RetrievalResult): Promise<void> {
    const lang = ctx.language;
    const lines = [answerText(entry, lang)];
    // The entry's own source and date close the answer; notices (with their own dates) come after.
    const source = faqSourceLine(entry, lang);
    if (source) lines.push(source);
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
        .map((e) => ({ label: questionLabel(e, lang), payload: encodeButton({ kind: 'faq', faqId: e.id }) })),
      { label: tr('resident.button.notHelpful', lang), payload: encodeButton({ kind: 'faq-unhelpful', faqId: entry.id }) },
    ];
    ctx.reply(textContent(lines.join('\n'), { links: entry.links, quickReplies }));
    await ctx.update({ misses: 0, lastIntent: entry.intent });
  }

  return async (ctx, next) => {
    const button = ctx.button;
    if (button?.kind === 'faq') {
      const entry = deps.knowledge.entry(button.faqId);
      if (entry) return answer(ctx, entry);
    }
    if (button?.kind === 'faq-unhelpful') {
      const { faqId } = button;
      const question = await deps.previousQuestion(ctx.conversation.id, ctx.inbound.seq);
      if (question)
        await deps.unanswered.record({
          text: question,
          language: ctx.language,
          reason: 'not_helpful',
          faqId,
          residentId: ctx.conversation.residentId,
        });
      ctx.reply(
        textContent(tr('resident.faq.sorry', ctx.language), {
          quickReplies: [
            {
              label: tr('resident.button.talkToCounselor', ctx.language),
              payload: encodeButton({ kind: 'intent', intent: INTENT.counselorRequest }),
            },
          ],
        }),
      );
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
      button?.kind === 'intent'
    )
      return next();

    const result = await searchInTurn(ctx, deps.knowledge, ctx.text, ctx.language, related + 1);
    // "It's so hot I could die" matches the suicide-prevention entry by its words. Crisis lines
    // answer only a message the classifier also reads as about crisis support, and not one the
    // crisis decision read as everyday talk: otherwise they would answer a heat complaint.
    const crisisEntryUnwanted =
      result.best?.entry.intent === INTENT.crisisSupport &&
      (nlu?.everydayTalk === true || !nlu?.top.some((t) => t.intent === INTENT.crisisSupport && t.confidence >= CRISIS_ENTRY_MIN_CONFIDENCE));
    if (result.answerable && result.best && !crisisEntryUnwanted) return answer(ctx, result.best.entry, result);

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
