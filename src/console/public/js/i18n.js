// The console's texts, from the one message catalogue (src/i18n/locales/console/<lang>.json, served
// at /i18n/console/<lang>.json): Korean by default, English on request. The table of the language
// shown is loaded before anything is drawn; the other one is fetched ahead so switching is instant.
import { createUiTexts } from '../../../i18n/ui-texts.js';

/** The console's languages; the first is the default. */
export const LANGUAGES = ['ko', 'en'];
const KEY = 'dajeong.console.lang';
const texts = createUiTexts('console', { onRetry: (_lang, err) => console.warn('console texts not loaded, trying again:', err.message) });

let lang = (() => {
  try {
    return LANGUAGES.includes(localStorage.getItem(KEY)) ? localStorage.getItem(KEY) : LANGUAGES[0];
  } catch {
    return LANGUAGES[0];
  }
})();

/** The console's language: 'ko' (default) or 'en'. */
export const currentLanguage = () => lang;

/**
 * Switches the language once its texts are loaded (kept for the next visit) and re-labels the
 * static markup. Resolves when the new texts are shown.
 */
export async function setLanguage(next) {
  const wanted = LANGUAGES.includes(next) ? next : LANGUAGES[0];
  await texts.load(wanted);
  lang = wanted;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Storage blocked: the choice lasts for this page.
  }
  document.documentElement.lang = lang;
  applyStrings();
  for (const other of LANGUAGES) if (other !== lang) texts.load(other);
}

/** The text `key` in the console's language, with its ICU placeholders filled from `values`. */
export function t(key, values) {
  return texts.format(lang, key, values);
}

/** A label of a coded value (priority, state, intent...), or the value itself when it has none. */
export function label(group, value) {
  if (value === undefined || value === null || value === '') return '-';
  const key = `label.${group}.${value}`;
  return texts.has(lang, key) ? t(key) : String(value);
}

/** Fills [data-i18n] texts and [data-i18n-attr="attr:key,..."] attributes under `root`. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
