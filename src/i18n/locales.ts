/**
 * Every locale file of the catalogue, imported statically so the build carries them and the keys
 * are types. A new language file is one import and one table entry here.
 */
import residentKo from './locales/resident/ko.json';
import residentEn from './locales/resident/en.json';
import residentZh from './locales/resident/zh.json';
import residentVi from './locales/resident/vi.json';
import residentJa from './locales/resident/ja.json';
import residentRu from './locales/resident/ru.json';
import residentTh from './locales/resident/th.json';
import residentMn from './locales/resident/mn.json';
import residentUz from './locales/resident/uz.json';
import residentTl from './locales/resident/tl.json';
import residentNe from './locales/resident/ne.json';
import residentKm from './locales/resident/km.json';
import residentId from './locales/resident/id.json';
import staffKo from './locales/staff/ko.json';
import staffEn from './locales/staff/en.json';
import consoleKo from './locales/console/ko.json';
import consoleEn from './locales/console/en.json';
import webchatKo from './locales/webchat/ko.json';
import webchatEn from './locales/webchat/en.json';
import webchatZh from './locales/webchat/zh.json';
import webchatVi from './locales/webchat/vi.json';

/** Flat dotted keys to ICU MessageFormat texts, one table per namespace and language. */
export type LocaleTable = Readonly<Record<string, string>>;
export type LocaleTables = Readonly<Record<string, Readonly<Record<string, LocaleTable>>>>;

/**
 * `resident`: what the bot and the system say to residents; `staff`: server-side texts counselors,
 * supervisors and admins see; `console`, `webchat`: browser UI texts, served by i18n-routes.
 */
export const LOCALES = {
  resident: {
    ko: residentKo,
    en: residentEn,
    zh: residentZh,
    vi: residentVi,
    ja: residentJa,
    ru: residentRu,
    th: residentTh,
    mn: residentMn,
    uz: residentUz,
    tl: residentTl,
    ne: residentNe,
    km: residentKm,
    id: residentId,
  },
  staff: { ko: staffKo, en: staffEn },
  console: { ko: consoleKo, en: consoleEn },
  webchat: { ko: webchatKo, en: webchatEn, zh: webchatZh, vi: webchatVi },
} satisfies LocaleTables;

export type Namespace = keyof typeof LOCALES;
/** Namespaces looked up on the server; the others are only served to browsers. */
export const SERVER_NAMESPACES = ['resident', 'staff'] as const;
/** Namespaces of browser UIs, served by `GET /i18n/<namespace>/<lang>.json`. */
export const UI_NAMESPACES = ['console', 'webchat'] as const;

/** Languages each namespace must have whole (the catalogue test checks every key in each). */
export const REQUIRED_LANGUAGES: Readonly<Record<Namespace, readonly string[]>> = {
  resident: ['ko', 'en', 'zh', 'vi'],
  staff: ['ko', 'en'],
  console: ['ko', 'en'],
  webchat: ['ko', 'en', 'zh', 'vi'],
};

/** Keys of the server namespaces, written in code with their namespace: "resident.turn.crisis". */
export type ResidentKey = `resident.${keyof typeof residentKo}`;
export type StaffKey = `staff.${keyof typeof staffKo}`;
export type TextKey = ResidentKey | StaffKey;
