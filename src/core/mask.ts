/**
 * Masks personal data in free text before it reaches logs or review lists: resident registration
 * numbers, Korean phone numbers (also +82, (010), Unicode dashes, full-width digits), card
 * numbers (Luhn-checked), bank account numbers and e-mail addresses.
 *
 * Every pattern runs in linear time on any input (test/security/regex-redos.test.ts): separators
 * are bounded, digits and separators never overlap, and numbers start only where a run of digits
 * starts.
 */

/** ASCII or full-width digit. */
const D = '[0-9０-９]';
/** Hyphen-like characters people type between digit groups: ASCII, Unicode dashes, minus, full-width. */
const DASHES = '\\-‐‑‒–—―−－';
const DASH = `[${DASHES}]`;
/** A separator between digit groups: a dash, dot or blank, at most a few. */
const SEP = `(?:\\s{0,2}(?:${DASH}|\\.)?\\s{0,2})`;
/** A number starts only where a run of digits starts (not at every digit inside one). */
const START = `(?<![0-9０-９])`;
const END = `(?![0-9０-９])`;

// Resident registration number: YYMMDD-GNNNNNN, hyphen or spaces optional ("900101 - 1234567").
const RRN = new RegExp(`${START}(${D}{6})${SEP}([1-8１-８])${D}{6}${END}`, 'g');
// Korean phone numbers: +82 (0)10..., 010..., (010)..., 02..., area codes 0xx, 070.
// Area codes 01x (mobile), 02 (Seoul), 031-064, 070, in ASCII or full-width digits.
const AREA = '(?:[1１][016789０１６７８９]|[2２]|[3-6３-６][1-5１-５]|[7７][0０])';
const PHONE = new RegExp(
  `(?:(\\+\\s?8\\s?2|＋８２)${SEP}(?:\\(\\s?[0０]\\s?\\)\\s?)?[0０]?|${START}(?:\\(\\s?)?([0０]))(${AREA})\\s?\\)?${SEP}(${D}{3,4})${SEP}(${D}{4})${END}`,
  'g',
);
// Card numbers: 13-19 digits, in groups separated by a blank or dash; masked when Luhn-valid.
const CARD = new RegExp(`${START}${D}(?:[ ${DASHES}]?${D}){12,18}${END}`, 'g');
// Bank accounts: 10-16 digits in 3-4 dash-separated groups (110-123-456789, 123456-01-123456),
// or a number of 10-16 digits right after the word account / 계좌 / 통장.
const ACCOUNT = new RegExp(
  `${START}${D}{2,6}(?:${DASH}${D}{2,8}){2,3}${END}|((?:계좌|통장|account|acct)[^0-9０-９\\n]{0,12})(${D}(?:[ ${DASHES}]?${D}){9,15})${END}`,
  'gi',
);
// E-mail: the local part starts where a run of its characters starts (not at every \b inside
// it, which made a long run without '@' cost quadratic time), and the domain is labels joined
// by single dots, so neither part can be split several ways.
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;

/** The digits of a string as ASCII (full-width digits folded). */
function digitsOf(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30)).replace(/[^0-9]/g, '');
}

/** Luhn checksum, as card numbers carry. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Replaces every digit but the last `keep` with '*', keeping separators. */
function starDigits(text: string, keep = 4): string {
  let remaining = digitsOf(text).length - keep;
  return text.replace(/[0-9０-９]/g, (d) => (remaining-- > 0 ? '*' : d));
}

export function maskPersonalData(text: string): string {
  return text
    .replace(RRN, (_m, birth: string, gender: string) => `${birth}-${gender}******`)
    .replace(PHONE, (_m, intl: string | undefined, zero: string | undefined, area: string, _mid: string, last: string) =>
      intl ? `+82-${area}-****-${last}` : `${zero ?? '0'}${area}-****-${last}`,
    )
    .replace(CARD, (m: string) => (luhnValid(digitsOf(m)) ? starDigits(m) : m))
    .replace(ACCOUNT, (m: string, word: string | undefined, number: string | undefined) => {
      if (word && number) return `${word}${starDigits(number)}`;
      // Dates (2026-06-01) and times have the shape too, but fewer digits.
      return digitsOf(m).length >= 10 ? starDigits(m) : m;
    })
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}

/** The patterns maskPersonalData applies (exported for the ReDoS check in test/security). */
export const PERSONAL_DATA_PATTERNS: readonly RegExp[] = [RRN, PHONE, CARD, ACCOUNT, EMAIL];
