/**
 * The one language fallback rule for resident-facing text: the resident's language, then English
 * for any other non-Korean language (foreign residents read English more often than Korean), then
 * Korean.
 */

/** The key of `map` to use for `language`, or undefined when the map has none of the three. */
export function localizedKey(
  map: Record<string, unknown> | undefined,
  language: string | undefined,
): string | undefined {
  if (!map) return undefined;
  const lang = language ?? 'ko';
  if (map[lang] !== undefined) return lang;
  if (lang !== 'ko' && map.en !== undefined) return 'en';
  return map.ko !== undefined ? 'ko' : undefined;
}

/** The text of `map` for `language` by the fallback rule, or undefined. */
export function pickLocalized<T>(
  map: Record<string, T> | undefined,
  language: string | undefined,
): T | undefined {
  const key = localizedKey(map, language);
  return key === undefined ? undefined : map![key];
}

/**
 * The text of a localized data map (flow prompts and titles, whose schemas require Korean) for
 * `language` by the fallback rule; '' only for a map with none of the three.
 */
export function localizedText(map: Record<string, string> | undefined, language: string | undefined): string {
  return pickLocalized(map, language) ?? '';
}
