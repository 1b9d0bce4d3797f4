/**
 * The web chat widget's texts and the choice of language. The texts come from the one message
 * catalogue (src/i18n/locales/webchat/<lang>.json, served at /i18n/webchat/<lang>.json): the
 * widget loads the table of its language before it draws anything and keeps the tables it loaded.
 */
import { createUiTexts } from '../i18n/ui-texts.js';

/** The languages the widget is written in; the bot itself answers in more. */
export const LANGUAGES = ['ko', 'en', 'zh', 'vi'];

const texts = createUiTexts('webchat', {
  onRetry: (lang, err) => console.warn(`web chat texts (${lang}) not loaded, trying again:`, err.message),
});

/** Resolves once the texts of `lang` are loaded (at once when they are); a failed load is tried again. */
export function loadTexts(lang) {
  return texts.load(lang);
}

/** The text `key` in `lang` (a loaded language) with its ICU placeholders filled from `values`. */
export function t(lang, key, values) {
  return texts.format(lang, key, values);
}

const primary = (tag) =>
  String(tag ?? '')
    .slice(0, 2)
    .toLowerCase();

/**
 * The UI language to start with: the first of `choices` (the resident's saved choice, the host
 * page's hint) that the UI has, else the browser's when the UI has it, else English for a foreign
 * browser (a foreign resident more likely reads English than Korean) and Korean otherwise.
 */
export function pickLanguage(...choices) {
  for (const choice of choices) if (LANGUAGES.includes(primary(choice))) return primary(choice);
  const browser = primary(navigator.languages?.[0] ?? navigator.language);
  if (LANGUAGES.includes(browser)) return browser;
  return !browser ? 'ko' : 'en';
}

/**
 * The locale to open a session with, so the bot starts in the resident's language (it supports
 * more than the UI does): the browser's, unless the resident picked a UI language other than it.
 */
export function sessionLocale(lang, chosen) {
  const browser = navigator.languages?.[0] ?? navigator.language ?? '';
  const valid = /^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/.test(browser);
  if (valid && (!chosen || primary(browser) === lang)) return browser;
  return { ko: 'ko-KR', en: 'en', zh: 'zh-CN', vi: 'vi-VN' }[lang] ?? 'en';
}

/**
 * The language a text is most likely written in, from its script, for messages the server has not
 * labelled yet (the resident's own, before they are stored): Hangul ko, Han zh, Vietnamese letters vi.
 */
export function guessLanguage(text, fallback) {
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return 'vi';
  if (/[a-z]/i.test(text)) return 'en';
  return fallback;
}
