/**
 * The video sign-language service the bot offers deaf and hard-of-hearing residents next to text
 * chat with a counselor: its name, hours, number and web address, from configuration
 * (SIGN_LANGUAGE_SERVICE_*). The default is Korea's relay service for the deaf, 손말이음센터 (107),
 * run by the National Information Society Agency for the Ministry of Science and ICT: video (sign
 * language) and text relay of phone calls, 24 hours a day, all year, at 107 or https://107.kr.
 */

/** A text per language (`ko` at least); one text for every language is `{ ko: text }`. */
export type LocalizedText = Readonly<Record<string, string>>;

export interface SignLanguageService {
  name: LocalizedText;
  /** 'always' (24 hours, every day: said in the resident's language) or the hours as written; unset: not said. */
  hours?: 'always' | LocalizedText;
  /** Number to call or text (video call from a smartphone), if any. */
  phone?: string;
  /** Web page to connect from, if any. */
  url?: string;
}

/** The relay service for the deaf of Korea, as residents of every language should read its name. */
export const KOREA_RELAY_SERVICE: SignLanguageService = {
  name: {
    ko: '손말이음센터',
    en: 'Korea Relay Service (손말이음센터)',
    zh: '手语中继中心（손말이음센터）',
    vi: 'Trung tâm chuyển tiếp cuộc gọi 손말이음센터',
  },
  hours: 'always',
  phone: '107',
  url: 'https://107.kr',
};

/**
 * A name or hours setting: plain text (one text for every language) or a JSON object by language
 * with at least `ko`, e.g. {"ko":"수어센터","en":"Sign Center"}.
 * @throws Error naming what is wrong.
 */
export function parseLocalizedSetting(raw: string): LocalizedText {
  const value = raw.trim();
  if (!value.startsWith('{')) return { ko: value };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected an object of language codes to texts');
  const entries = Object.entries(parsed as Record<string, unknown>);
  for (const [lang, text] of entries) {
    if (!/^[a-z]{2,3}$/.test(lang)) throw new Error(`"${lang}" is not a 2–3 letter language code`);
    if (typeof text !== 'string' || !text.trim()) throw new Error(`the ${lang} text must be a non-empty string`);
  }
  if (!entries.some(([lang]) => lang === 'ko')) throw new Error('needs a "ko" text (the fallback for every language)');
  return Object.fromEntries(entries.map(([lang, text]) => [lang, (text as string).trim()]));
}

/** The settings as configuration reads them (each unset keeps the default; '' removes the part). */
export interface SignLanguageSettings {
  SIGN_LANGUAGE_SERVICE_NAME?: string;
  SIGN_LANGUAGE_SERVICE_HOURS?: string;
  SIGN_LANGUAGE_SERVICE_URL?: string;
  SIGN_LANGUAGE_SERVICE_PHONE?: string;
}

/**
 * The service to offer, or undefined when SIGN_LANGUAGE_SERVICE_NAME is '' (no sign-language
 * service is offered; text chat with a counselor still is). Unset settings keep the default's.
 */
export function signLanguageServiceFrom(settings: SignLanguageSettings): SignLanguageService | undefined {
  const d = KOREA_RELAY_SERVICE;
  const name = settings.SIGN_LANGUAGE_SERVICE_NAME;
  if (name !== undefined && !name.trim()) return undefined;
  const hours = settings.SIGN_LANGUAGE_SERVICE_HOURS?.trim();
  const phone = settings.SIGN_LANGUAGE_SERVICE_PHONE ?? d.phone;
  const url = settings.SIGN_LANGUAGE_SERVICE_URL ?? d.url;
  return {
    name: name === undefined ? d.name : parseLocalizedSetting(name),
    ...(hours === undefined || hours === '24/7' ? { hours: 'always' as const } : hours && { hours: parseLocalizedSetting(hours) }),
    ...(phone?.trim() && { phone: phone.trim() }),
    ...(url?.trim() && { url: url.trim() }),
  };
}
