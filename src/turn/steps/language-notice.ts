/**
 * Residents writing in a language the center has no whole set of texts for (Japanese, Russian,
 * Thai...) are answered in English (the catalogue's fallback); this step tells them so once, in
 * their own language, and offers an interpreter or a counselor (issue 14 "Every language whole").
 */
import type { Translate } from '../../core/text-port';
import type { TurnStep } from '../../core/turn-context';

/** Slot remembering the language the notice was given for, so it is said once per conversation. */
export const LANGUAGE_NOTICE_SLOT = 'languageNotice';

/**
 * Wraps the rest of the turn: when it replied and the conversation's language is not one of
 * `wholeLanguages`, the notice goes first, unless this conversation already had it for this language.
 */
export function languageNoticeStep(wholeLanguages: readonly string[], tr: Translate): TurnStep {
  const whole = new Set(wholeLanguages);
  return async (ctx, next) => {
    const before = ctx.replies.length;
    await next();
    const language = ctx.conversation.language;
    if (whole.has(language) || ctx.replies.length === before) return;
    if (ctx.conversation.slots[LANGUAGE_NOTICE_SLOT] === language) return;
    const notice = tr('resident.fallback.englishNotice', language);
    // A language without its own notice would be told in English that it is answered in English.
    if (notice === tr('resident.fallback.englishNotice', 'en')) return;
    ctx.replies.splice(before, 0, { author: 'bot', content: { kind: 'text', text: notice } });
    await ctx.update({ slots: { ...ctx.conversation.slots, [LANGUAGE_NOTICE_SLOT]: language } });
  };
}
