import type { LanguageDetector } from '../../core/nlu-port';
import type { TurnStep } from '../../core/turn-context';

/** Detects the message language and stores it on the conversation when it changes. */
export function detectLanguageStep(detector: LanguageDetector): TurnStep {
  return async (ctx, next) => {
    // Short texts ("ok", "1") say little; keep the conversation's language for them.
    const detected = ctx.text.replace(/\s/g, '').length >= 2 ? detector.detect(ctx.text) : undefined;
    if (detected && detected !== ctx.conversation.language) {
      await ctx.update({ language: detected });
    }
    ctx.language = ctx.conversation.language;
    await next();
  };
}
