/**
 * The text port: code that may import only core (channel adapters) gets the one message
 * catalogue's lookup through this type; src/i18n implements it and the composition root passes it.
 */

/** Values filled into a catalogue text's ICU placeholders (`{name}`, `{n, plural, ...}`). */
export type TextValues = Readonly<Record<string, string | number>>;

/**
 * The text of a catalogue key such as "resident.kakao.error" in `language`, by the one fallback
 * rule (the language, then English for other non-Korean languages, then Korean).
 * @throws Error when no language has the key, or a placeholder has no value (bugs the catalogue tests catch).
 */
export type Translate = (key: string, language: string | undefined, values?: TextValues) => string;
