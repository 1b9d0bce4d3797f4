/** Masks Korean personal data in free text before it reaches logs. */

// Resident registration number: YYMMDD-NNNNNNN (hyphen optional).
const RRN = /\b(\d{6})[-\s]?([1-8])\d{6}\b/g;
// Korean phone numbers: mobile 01x, Seoul 02, area codes 0xx, with or without separators.
const PHONE = /\b(0(?:1[016789]|2|[3-6][1-5]|70))[-.\s]?(\d{3,4})[-.\s]?(\d{4})\b/g;
// E-mail: the local part starts where a run of its characters starts (not at every \b inside
// it, which made a long run without '@' cost quadratic time), and the domain is labels joined
// by single dots, so neither part can be split several ways.
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(RRN, (_m, birth: string, gender: string) => `${birth}-${gender}******`)
    .replace(PHONE, (_m, area: string, _mid: string, last: string) => `${area}-****-${last}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}

/** The patterns maskPersonalData applies (exported for the ReDoS check in test/security). */
export const PERSONAL_DATA_PATTERNS: readonly RegExp[] = [RRN, PHONE, EMAIL];
