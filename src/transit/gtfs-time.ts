/**
 * GTFS time and date values. Stop times are "H:MM:SS" measured from "noon minus 12h" of the service
 * day and may pass 24:00:00 for service after midnight; dates are YYYYMMDD.
 */

/** Marks a stop time the feed left empty (a non-timepoint stop to interpolate). */
export const NO_TIME = -1;

const TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Seconds after the service day's start, NO_TIME for an empty value, undefined when malformed. */
export function parseGtfsTime(value: string): number | undefined {
  const v = value.trim();
  if (v === '') return NO_TIME;
  const m = TIME.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** A YYYYMMDD date as the integer 20261130, or undefined when it is not a real calendar date. */
export function parseGtfsDate(value: string): number | undefined {
  const m = DATE.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return y * 10_000 + mo * 100 + d;
}

/** Calendar arithmetic on YYYYMMDD integers (no time zones involved). */
export function addDays(date: number, days: number): number {
  const d = new Date(Date.UTC(Math.floor(date / 10_000), (Math.floor(date / 100) % 100) - 1, date % 100 + days));
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** Day of the week of a YYYYMMDD date: 0 = Monday ... 6 = Sunday (GTFS calendar column order). */
export function weekdayOf(date: number): number {
  const d = new Date(Date.UTC(Math.floor(date / 10_000), (Math.floor(date / 100) % 100) - 1, date % 100));
  return (d.getUTCDay() + 6) % 7;
}

/** "HH:MM" on a 24-hour clock; times past midnight wrap (25:10 -> 01:10), see `isNextDay`. */
export function formatClock(seconds: number): string {
  const s = ((seconds % 86_400) + 86_400) % 86_400;
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;
}

/** True for a stop time at or after midnight that ends the service day (24:00:00 and later). */
export function isNextDay(seconds: number): boolean {
  return seconds >= 86_400;
}

/** "2026-11-30" from 20261130. */
export function formatIsoDate(date: number): string {
  return `${Math.floor(date / 10_000)}-${String(Math.floor(date / 100) % 100).padStart(2, '0')}-${String(date % 100).padStart(2, '0')}`;
}

export interface LocalMoment {
  /** The local calendar date, YYYYMMDD. */
  date: number;
  /** Seconds since local midnight. */
  seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock date and time of `instant` in an IANA time zone. Service-day times count from
 * "noon minus 12h", which equals midnight except on daylight-saving change days; Korea has none.
 * @throws RangeError for an unknown time zone
 */
export function localMoment(instant: Date, timeZone: string): LocalMoment {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (formatters.size < 16) formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    date: (parts.year ?? 0) * 10_000 + (parts.month ?? 0) * 100 + (parts.day ?? 0),
    seconds: (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0),
  };
}

/** True when the time zone name is known to this runtime. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
