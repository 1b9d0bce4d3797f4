import type { Conversation } from '../../core/conversation';
import type { LanguageDetector } from '../../core/nlu-port';
import type { TurnStep } from '../../core/turn-context';

/** The writing system a text is in, by its letters. */
type Script = 'hangul' | 'han' | 'kana' | 'latin' | 'other';

const LETTER = /\p{L}/gu;
const SCRIPT_OF: [Script, RegExp][] = [
  ['hangul', /\p{Script=Hangul}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
  ['latin', /\p{Script=Latin}/u],
];

/** The script most of the text's letters are in. */
function scriptOf(text: string): Script {
  const counts = new Map<Script, number>();
  for (const [letter] of text.matchAll(LETTER)) {
    const script = SCRIPT_OF.find(([, re]) => re.test(letter))?.[0] ?? 'other';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  let best: Script = 'other';
  let most = 0;
  for (const [script, n] of counts) if (n > most) [best, most] = [script, n];
  return best;
}

/** The script a conversation language is written in. */
function scriptOfLanguage(language: string): Script {
  if (language === 'ko') return 'hangul';
  if (language === 'zh') return 'han';
  if (language === 'ja') return 'kana';
  return 'latin';
}

/** Latin-script languages with their own resident texts; others are told in English. */
const LATIN_CATALOGUES = new Set(['en', 'vi']);

const letters = (text: string) => text.match(LETTER)?.length ?? 0;
const words = (text: string) => text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;

/**
 * Whether a message is enough evidence to switch the conversation's language. Short or ambiguous
 * messages keep it: "ok", "Ask again" (once taken for Indonesian), "Continue", a number. A message in
 * another writing system switches with a few letters (Hangul, Chinese and Latin are not confused);
 * within the Latin script (English, Vietnamese, ...) it takes a whole sentence of four words or more.
 * The first words of a conversation decide more readily: nothing was said yet (but two letters in the
 * conversation's own script are not enough).
 */
export function switchesLanguage(text: string, current: string, detected: string, firstWords: boolean): boolean {
  if (detected === current) return false;
  const script = scriptOf(text);
  // Japanese is also written in kanji alone (a place name), which reads as Chinese.
  if (current === 'ja' && script === 'han') return false;
  const n = letters(text);
  // Short Latin text is guessed as many languages ("Ask again" as Indonesian, made-up words as
  // Tagalog): only a long sentence moves to a Latin-script language the center has no texts for.
  if (script === 'latin' && !LATIN_CATALOGUES.has(detected) && words(text) < 8) return false;
  // The first words of a conversation decide more readily, but a bare "ok" in the script of a language
  // the conversation already carries (from the resident's earlier conversation, or the channel's
  // locale) is no evidence: it stays.
  if (firstWords) return script !== scriptOfLanguage(current) ? n >= 2 : words(text) >= 2 && n >= 6;
  if (script !== scriptOfLanguage(current)) return script === 'latin' ? words(text) >= 3 && n >= 10 : n >= 4;
  return words(text) >= 4 && n >= 15;
}

/**
 * Whether the bot is waiting for a value: a guided flow's step (an address, a description) or the
 * transit dialogue's question (a stop name). Foreign residents type Korean addresses and stop
 * names, so such an answer says nothing about the language they read.
 */
export function awaitsAnswer(conversation: Pick<Conversation, 'flow' | 'slots'>): boolean {
  if (conversation.flow) return true;
  const transit = conversation.slots.transit;
  return typeof transit === 'object' && !Array.isArray(transit) && 'awaiting' in transit && Boolean(transit.awaiting);
}

/**
 * Detects the message language and keeps it on the conversation when the message clearly says so
 * (sticky language). A button press never changes it: the bot wrote the label, in the conversation's
 * language already; neither does the answer to a question the bot asked (awaitsAnswer).
 */
export function detectLanguageStep(detector: LanguageDetector): TurnStep {
  return async (ctx, next) => {
    if (ctx.inbound.content.kind !== 'button' && !awaitsAnswer(ctx.conversation)) {
      const detected = ctx.text.replace(/\s/g, '').length >= 2 ? detector.detect(ctx.text) : undefined;
      // seq 1 is the first message, 2 the first after a welcome.
      if (detected && switchesLanguage(ctx.text, ctx.conversation.language, detected, ctx.inbound.seq <= 2)) {
        await ctx.update({ language: detected });
      }
    }
    ctx.language = ctx.conversation.language;
    await next();
  };
}
