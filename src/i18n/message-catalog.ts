/**
 * The message catalogue: ICU MessageFormat texts (formatjs `intl-messageformat`) per namespace and
 * language, one lookup and one missing-key rule. A key is written with its namespace
 * ("resident.handoff.closed"); the language is chosen by core/localized's rule: the requested
 * language, then English for any other non-Korean language, then Korean.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { localizedKey } from '../core/localized';
import type { TextValues } from '../core/text-port';
import { resolveParticles } from './korean-particles';
import type { LocaleTables } from './locales';

/** A key that no language of its namespace has: a bug, never shown to anyone as `{key}` or ''. */
export class MissingTextError extends Error {
  constructor(readonly key: string) {
    super(`No text for "${key}" in any language`);
    this.name = 'MissingTextError';
  }
}

/** Parser options shared by formatting and the catalogue tests: `<b>` is text, not a tag. */
export const ICU_OPTIONS = { ignoreTag: true } as const;

export class MessageCatalog {
  /** "ns.key" -> language -> ICU source; built once, the size of the locale files. */
  private readonly byKey = new Map<string, Record<string, string>>();
  /** Compiled formatters by "lang:ns.key"; bounded by the number of texts in the files. */
  private readonly compiled = new Map<string, IntlMessageFormat>();

  constructor(private readonly tables: LocaleTables) {
    for (const [ns, languages] of Object.entries(tables)) {
      for (const [language, table] of Object.entries(languages)) {
        for (const [id, source] of Object.entries(table)) {
          const key = `${ns}.${id}`;
          const texts = this.byKey.get(key) ?? {};
          texts[language] = source;
          this.byKey.set(key, texts);
        }
      }
    }
  }

  /** The languages a namespace has a file for, as a map for core/localized's rule. */
  languages(namespace: string): Record<string, true> {
    return Object.fromEntries(Object.keys(this.tables[namespace] ?? {}).map((l) => [l, true]));
  }

  /** Every key with its namespace ("resident.turn.crisis"). */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** The ICU source of `key` for `language` by the fallback rule, and the language it is in. */
  source(key: string, language: string | undefined): { text: string; language: string } | undefined {
    const texts = this.byKey.get(key);
    const chosen = localizedKey(texts, language);
    return chosen === undefined ? undefined : { text: texts![chosen]!, language: chosen };
  }

  /**
   * The text of `key` in `language` with its placeholders filled.
   * @throws MissingTextError when no language has the key; intl-messageformat's error when a value is missing.
   */
  format(key: string, language: string | undefined, values?: TextValues): string {
    const source = this.source(key, language);
    if (!source) throw new MissingTextError(key);
    const cacheKey = `${source.language}:${key}`;
    let formatter = this.compiled.get(cacheKey);
    if (!formatter) {
      formatter = new IntlMessageFormat(source.text, source.language, undefined, ICU_OPTIONS);
      this.compiled.set(cacheKey, formatter);
    }
    return resolveParticles(String(formatter.format(values as Record<string, string | number> | undefined)));
  }

  /**
   * One namespace for one language as flat key -> ICU source, complete by the fallback rule (for
   * browsers, which format the texts themselves). Undefined for an unknown namespace.
   */
  table(namespace: string, language: string): Record<string, string> | undefined {
    const languages = this.tables[namespace];
    if (!languages) return undefined;
    const out: Record<string, string> = {};
    const prefix = `${namespace}.`;
    for (const key of this.byKey.keys()) {
      if (!key.startsWith(prefix)) continue;
      out[key.slice(prefix.length)] = this.source(key, language)!.text;
    }
    return out;
  }
}
