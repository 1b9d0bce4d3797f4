/**
 * How transit answers write dates, departure times and kinds of service day for residents, over
 * the message catalogue (`resident.transit.*`); the answers' own texts are looked up where they are said.
 */
import { tr } from '../i18n/translate';
import type { DayKind } from './service-calendar';
import { formatClock, isNextDay, weekdayOf } from './gtfs-time';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A service day's kind: "평일", "Saturday", "节假日/特别"... */
export function dayKindText(kind: DayKind, language: string): string {
  return tr('resident.transit.dayKind', language, { kind });
}

/** A service date (yyyymmdd) for residents: "11월 30일(월)", "Mon 30 Nov", "11月30日(周一)", "thứ Hai 30/11". */
export function dateText(date: number, language: string): string {
  return tr('resident.transit.date', language, { month: Math.floor(date / 100) % 100, day: date % 100, weekday: WEEKDAYS[weekdayOf(date)]! });
}

/** A departure time: "05:30", or "00:20 (after midnight)" for 24:20:00. */
export function timeText(seconds: number, language: string): string {
  const clock = formatClock(seconds);
  return isNextDay(seconds) ? tr('resident.transit.afterMidnight', language, { time: clock }) : clock;
}
