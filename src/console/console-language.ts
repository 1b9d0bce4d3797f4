/**
 * The language of server-side texts a console request gets (error messages, labels): Korean, the
 * call center's working language, unless the console sends `X-Console-Language: en`. A header the
 * console sets, not the browser's Accept-Language, so an English browser still gets the Korean
 * console by default.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const CONSOLE_LANGUAGE_HEADER = 'x-console-language';
const LANGUAGES = ['ko', 'en'] as const;
export type ConsoleLanguage = (typeof LANGUAGES)[number];

/** 'en' when the request asks for English, else 'ko'. */
export function consoleLanguage(req: { headers: IncomingHttpHeaders }): ConsoleLanguage {
  const asked = String(req.headers[CONSOLE_LANGUAGE_HEADER] ?? '').trim().slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === asked) ?? 'ko';
}
