/**
 * A browser UI's texts from the one message catalogue: `GET /i18n/<namespace>/<lang>.json` gives
 * a whole table (every key, filled by the server's fallback rule) of ICU MessageFormat texts,
 * formatted here with the library the server uses (intl-messageformat), so plurals and selects
 * read the same in the console, the web chat and the bot. Served at /i18n/ui-texts.js.
 */
import { IntlMessageFormat } from './intl-messageformat.js';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;
const LANGUAGE = /^[a-z]{2,3}$/;

/**
 * The texts of one UI namespace ('console' or 'webchat'). A table is fetched once per language
 * and kept (a UI has a handful of languages; the browser's HTTP cache revalidates it by ETag).
 * A failed fetch is tried again, pausing longer each time up to 15 s, until it succeeds: a UI
 * waits for its texts rather than showing blanks or keys.
 *
 * @param {string} namespace
 * @param {{ base?: URL, onRetry?: (lang: string, error: Error) => void }} [options]
 *   base: where the tables are (default: next to this module); onRetry: told of each failed try.
 */
export function createUiTexts(namespace, { base = new URL('./', import.meta.url), onRetry } = {}) {
  /** lang -> { texts: {key: ICU source}, formats: Map<key, IntlMessageFormat> } */
  const tables = new Map();
  /** lang -> the load under way */
  const loading = new Map();
  /** Keys already reported missing, so a redraw loop does not flood the console. */
  const reported = new Set();

  async function fetchTable(lang) {
    const res = await fetch(new URL(`${namespace}/${lang}.json`, base), { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${namespace}/${lang}.json answered ${res.status}`);
    return res.json();
  }

  /** Resolves once the table of `lang` is here (at once when it already is). */
  function load(lang) {
    if (!LANGUAGE.test(lang)) return Promise.reject(new TypeError(`not a language code: ${lang}`));
    if (tables.has(lang)) return Promise.resolve();
    let promise = loading.get(lang);
    if (!promise) {
      promise = (async () => {
        for (let pause = FIRST_RETRY_MS; ; pause = Math.min(pause * 2, MAX_RETRY_MS)) {
          try {
            tables.set(lang, { texts: await fetchTable(lang), formats: new Map() });
            return;
          } catch (err) {
            onRetry?.(lang, err);
            await new Promise((resolve) => setTimeout(resolve, pause));
          }
        }
      })().finally(() => loading.delete(lang));
      loading.set(lang, promise);
    }
    return promise;
  }

  /** Whether the table of `lang` is loaded and has `key`. */
  function has(lang, key) {
    return tables.get(lang)?.texts[key] !== undefined;
  }

  /**
   * The text `key` in `lang` with its placeholders filled. The tables are whole and the catalogue
   * tests check every key the front-ends use, so a missing key means a stale cached table: it is
   * logged and the key shown rather than breaking the page.
   */
  function format(lang, key, values) {
    const table = tables.get(lang);
    const source = table?.texts[key];
    if (source === undefined) {
      if (!reported.has(`${lang}:${key}`)) {
        reported.add(`${lang}:${key}`);
        console.error(table ? `no ${namespace} text "${key}" in ${lang}` : `${namespace} texts in ${lang} used before they were loaded`);
      }
      return key;
    }
    let formatter = table.formats.get(key);
    if (!formatter) {
      formatter = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
      table.formats.set(key, formatter);
    }
    try {
      return String(formatter.format(values));
    } catch (err) {
      console.error(`${namespace} text "${key}":`, err);
      return source;
    }
  }

  return { load, has, format };
}
