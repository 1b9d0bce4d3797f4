/** The application's one text lookup over the one catalogue (see docs/i18n.md). */
import type { TextValues, Translate } from '../core/text-port';
import { LOCALES, type TextKey } from './locales';
import { MessageCatalog } from './message-catalog';

/** The catalogue of every locale file. */
export const catalog = new MessageCatalog(LOCALES);

/** Staff texts are Korean unless a console asks for English (the call center works in Korean). */
export const STAFF_LANGUAGE = 'ko';

/**
 * The text of `key` ("resident.…" or "staff.…") in `language` with placeholders filled: the
 * language, then English for other non-Korean languages, then Korean.
 * @throws MissingTextError when no language has the key (the catalogue test keeps that from shipping).
 */
export function tr(key: TextKey, language: string | undefined, values?: TextValues): string {
  return catalog.format(key, language, values);
}

/** The same lookup as the core port, for channel adapters (keys are plain strings there). */
export const translate: Translate = (key, language, values) => catalog.format(key, language, values);
