/**
 * One message, two needs ("도로가 파였는데 신고하고 싶고요, 버스 첫차 시간도 알려 주세요"): when two
 * parts of the message each find a confident FAQ answer of a different topic, the bot names both and
 * lets the resident pick with buttons (each need, plus "something else") instead of silently
 * answering one. After one is answered, the other is offered again, so neither is lost.
 * Runs before flows, transit and the FAQ, never inside an active flow or on a button press.
 */
import { encodeButton } from '../core/button-payload';
import { INTENT, OUT_OF_SCOPE } from '../core/intents';
import { CRISIS_INTENT } from '../core/nlu-port';
import type { FaqEntry, KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import { pickLocalized } from '../core/localized';
import { textContent, type QuickReply } from '../core/message';
import type { TurnContext, TurnStep } from '../core/turn-context';
import { tr } from '../i18n/translate';
import { splitNeeds } from './need-splitter';
import { searchInTurn } from './turn-search-memo';

export interface TwoNeedsDeps {
  knowledge: KnowledgeRetriever & { entry(id: string): FaqEntry | undefined };
  /** True when the intent starts a guided flow: its option starts the flow instead of an answer. */
  startsFlow: (intent: string) => boolean;
  /** The buttons of the bot's last message before the resident's message (the options offered). */
  lastOffer: (ctx: TurnContext) => Promise<QuickReply[]>;
  /**
   * The intent classifier's best intent for a part of the message, when it is confident of it
   * (through the turn's memo, `classifyInTurn`, so the part's embedding from its FAQ search is reused).
   */
  intentOf: (ctx: TurnContext, text: string, language: string) => Promise<string | undefined>;
}

/** The "something else" button; it also marks a clarification, so the turn after a pick can offer the rest. */
const SOMETHING_ELSE = encodeButton({ kind: 'something-else' });

function label(entry: FaqEntry, language: string): string {
  return pickLocalized(entry.questions, language)?.[0] ?? entry.id;
}

function option(entry: FaqEntry, language: string, startsFlow: boolean): QuickReply {
  return {
    label: label(entry, language),
    payload: startsFlow ? encodeButton({ kind: 'intent', intent: entry.intent }) : encodeButton({ kind: 'faq', faqId: entry.id }),
  };
}

/** A need: the resident's own words for it and the FAQ entry that answers it. */
interface Need {
  words: string;
  entry: FaqEntry;
  /** The FAQ is sure of the entry for these words (not only the classifier agreeing). */
  sure: boolean;
}

/**
 * Topics never offered as one of several needs: crisis words are the crisis guard's alone (a button
 * with them would put them in the resident's mouth), and greetings or thanks are not requests.
 */
const NOT_A_NEED = new Set<string>([CRISIS_INTENT, OUT_OF_SCOPE, INTENT.greeting, INTENT.thanksGoodbye]);

/** Whole-message intents about how to be served, which their own steps answer. */
const SERVED_AS_A_WHOLE = new Set<string>([INTENT.counselorRequest, INTENT.signLanguage]);

/** Whole-message verdicts under which the later steps would give no answer to a question in it. */
const NO_ANSWER_INTENTS = new Set<string>([OUT_OF_SCOPE, INTENT.greeting, INTENT.thanksGoodbye]);

/**
 * True when the message as a whole would get no answer: the classifier saw only a greeting, thanks
 * or nothing, and the FAQ is not sure of the whole text ("Hi, I just moved here, when is food waste
 * collected?").
 */
async function unansweredAsAWhole(ctx: TurnContext, wholeSearch: () => Promise<RetrievalResult>): Promise<boolean> {
  if (!NO_ANSWER_INTENTS.has(ctx.nlu?.intent ?? OUT_OF_SCOPE)) return false;
  const whole = await wholeSearch();
  return !(whole.answerable && ctx.nlu?.intent === OUT_OF_SCOPE);
}

/** The confident answers of the message's parts, one per topic (intent), in the order asked. */
async function needsOf(ctx: TurnContext, deps: TwoNeedsDeps, parts: string[], wholeSearch: () => Promise<RetrievalResult>): Promise<Need[]> {
  const found: Need[] = [];
  for (const part of parts) {
    const result = await searchInTurn(ctx, deps.knowledge, part, ctx.language, 1);
    const entry = result.best?.entry;
    if (!entry || NOT_A_NEED.has(entry.intent) || found.some((n) => n.entry.intent === entry.intent)) continue;
    // A short part is weak evidence for either model alone: a need is one the FAQ is sure of, or one
    // where the FAQ's topic and the intent classifier agree.
    if (result.answerable || (await deps.intentOf(ctx, part, ctx.language)) === entry.intent)
      found.push({ words: part.replace(/[\s,;.。，；、]+$/u, ''), entry, sure: result.answerable });
  }
  if (found.length < 2) return found;
  // When the whole message has a sure answer, a need only the classifier vouches for is most likely
  // the same request's tail ("…drilling at 6 am. Who can I complain to?"), not a second one.
  const whole = await wholeSearch();
  const wholeIntent = whole.answerable ? whole.best?.entry.intent : undefined;
  return (wholeIntent ? found.filter((n) => n.sure || n.entry.intent === wholeIntent) : found).slice(0, 3);
}

export function twoNeedsStep(deps: TwoNeedsDeps): TurnStep {
  return async (ctx, next) => {
    if (ctx.button?.kind === 'something-else') {
      ctx.reply(tr('resident.clarify.askAgain', ctx.language));
      return;
    }
    if (ctx.button) {
      // A pick from a clarification: handle it, then offer the needs not picked, so none is lost.
      const offered = await deps.lastOffer(ctx);
      const fromClarification = offered.some((q) => q.payload === SOMETHING_ELSE);
      await next();
      if (!fromClarification || ctx.conversation.state !== 'bot' || ctx.conversation.flow) return;
      const picked = ctx.inbound.content.kind === 'button' ? ctx.inbound.content.payload : undefined;
      const rest = offered.filter((q) => q.payload !== picked && q.payload !== SOMETHING_ELSE);
      if (rest.length) ctx.reply(textContent(tr('resident.clarify.alsoAsked', ctx.language), { quickReplies: rest }));
      return;
    }
    // Asking how to be served (a counselor, sign language) is answered by its own step as a whole.
    if (!ctx.text || ctx.conversation.flow || SERVED_AS_A_WHOLE.has(ctx.nlu?.intent ?? '')) return next();
    const parts = splitNeeds(ctx.text, ctx.language);
    // The whole message is searched at most once per turn, whichever check (or the FAQ step) asks first.
    const wholeSearch = () => searchInTurn(ctx, deps.knowledge, ctx.text, ctx.language, 1);
    const needs = parts.length >= 2 ? await needsOf(ctx, deps, parts, wholeSearch) : [];
    const lang = ctx.language;
    if (needs.length < 2) {
      // One question wrapped in a greeting or a remark the models took for the whole message: offer
      // it rather than answer the greeting or ask to rephrase.
      const only = needs.length === 1 ? needs : parts.length === 1 ? await needsOf(ctx, deps, parts, wholeSearch) : [];
      if (only.length !== 1 || !(await unansweredAsAWhole(ctx, wholeSearch))) return next();
      ctx.reply(
        textContent(tr('resident.clarify.didYouMean', lang), {
          quickReplies: [option(only[0]!.entry, lang, deps.startsFlow(only[0]!.entry.intent)), { label: tr('resident.button.somethingElse', lang), payload: SOMETHING_ELSE }],
        }),
      );
      return;
    }
    ctx.reply(
      // The needs in the resident's own words (what was understood), the buttons in the FAQ's.
      textContent(tr('resident.clarify.twoNeeds', lang, { needs: needs.map((n) => `• ${n.words}`).join('\n') }), {
        quickReplies: [
          ...needs.map((n) => option(n.entry, lang, deps.startsFlow(n.entry.intent))),
          { label: tr('resident.button.somethingElse', lang), payload: SOMETHING_ELSE },
        ],
      }),
    );
  };
}
