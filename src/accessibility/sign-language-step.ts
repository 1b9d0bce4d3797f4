/**
 * Deaf, hard-of-hearing and speech-impaired residents (issue 18): when a resident asks for sign
 * language or says they cannot hear, the bot says that text chat with a counselor is fully
 * available and offers it as a button at once (pressing it is an explicit counselor request), and
 * names the video sign-language service from configuration. The conversation is marked
 * hearing-impaired for the rest of its life: routing prefers counselors with the sign_language
 * skill and the console shows "text only, no phone callback".
 */
import { encodeButton } from '../core/button-payload';
import { INTENT } from '../core/intents';
import { pickLocalized } from '../core/localized';
import { textContent, type LinkRef } from '../core/message';
import type { TurnContext, TurnStep } from '../core/turn-context';
import { tr } from '../i18n/translate';
import type { SignLanguageService } from './sign-language-service';

export interface SignLanguageStepDeps {
  /** The video sign-language service to name; undefined: only text chat is offered. */
  service?: SignLanguageService;
  /** Classifier confidence at which the request counts as understood. */
  minConfidence: number;
}

/** True when the turn understood a request for sign language or a resident saying they are deaf. */
export function asksForSignLanguage(ctx: TurnContext, minConfidence: number): boolean {
  const nlu = ctx.nlu;
  return Boolean(nlu && !nlu.crisis && nlu.intent === INTENT.signLanguage && nlu.confidence >= minConfidence);
}

/**
 * Marks the conversation hearing-impaired whatever its state (queued or with a counselor too,
 * where the bot stays silent), so routing and the console know; then goes on.
 */
export function markHearingImpairedStep(minConfidence: number): TurnStep {
  return async (ctx, next) => {
    if (!ctx.conversation.hearingImpaired && asksForSignLanguage(ctx, minConfidence)) await ctx.update({ hearingImpaired: true });
    await next();
  };
}

/** The "chat with a counselor" button: an explicit counselor request, so it queues with request priority. */
function counselorOffer(ctx: TurnContext, extra: { lines?: string[]; links?: LinkRef[] } = {}) {
  const button = tr('resident.button.textWithCounselor', ctx.language);
  const text = [tr('resident.signLanguage.textChat', ctx.language, { button }), ...(extra.lines ?? [])].join('\n');
  return textContent(text, {
    quickReplies: [{ label: button, payload: encodeButton({ kind: 'intent', intent: INTENT.counselorRequest }) }],
    ...(extra.links && { links: extra.links }),
  });
}

/** What the resident reads about the sign-language service, in their language; links to its page. */
export function serviceLines(service: SignLanguageService, language: string): { lines: string[]; links: LinkRef[] } {
  const name = pickLocalized(service.name, language) ?? service.name.ko ?? '';
  const sentences = [tr('resident.signLanguage.relay', language, { name })];
  if (service.hours) {
    const hours = service.hours === 'always' ? tr('resident.signLanguage.hoursAlways', language) : (pickLocalized(service.hours, language) ?? '');
    sentences.push(tr('resident.signLanguage.relayHours', language, { hours }));
  }
  if (service.phone) sentences.push(tr('resident.signLanguage.relayPhone', language, { phone: service.phone }));
  return { lines: ['', sentences.join(' ')], links: service.url ? [{ title: name, url: service.url }] : [] };
}

/**
 * Answers a sign-language request (ends the turn). Otherwise goes on, and when the FAQ answered
 * its sign-language entry instead (the classifier was unsure, or a related-question button), marks
 * the conversation and adds the counselor button the FAQ answer lacks.
 */
export function signLanguageStep(deps: SignLanguageStepDeps): TurnStep {
  return async (ctx, next) => {
    if (asksForSignLanguage(ctx, deps.minConfidence)) {
      ctx.reply(counselorOffer(ctx, deps.service ? serviceLines(deps.service, ctx.language) : {}));
      await ctx.update({ misses: 0, lastIntent: INTENT.signLanguage, hearingImpaired: true });
      return;
    }
    await next();
    const c = ctx.conversation;
    if (c.lastIntent === INTENT.signLanguage && c.state === 'bot' && !c.hearingImpaired) {
      ctx.reply(counselorOffer(ctx));
      await ctx.update({ hearingImpaired: true });
    }
  };
}
