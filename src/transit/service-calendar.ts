/**
 * Which services run on a date (calendar.txt weekday rules within their date range, then the
 * calendar_dates.txt exceptions), and what kind of day that is for residents: weekday, Saturday,
 * Sunday, or a holiday/special day when the regular service is replaced.
 */
import { weekdayOf } from './gtfs-time';
import type { TransitIndexData } from './transit-index';

export type DayKind = 'weekday' | 'saturday' | 'sunday' | 'holiday';

const SUNDAY_ONLY = 1 << 6;
/** Dates whose active services are kept (today, yesterday, tomorrow and a few more). */
const CACHE_DATES = 8;

export class ServiceCalendar {
  private readonly cache = new Map<number, Uint8Array>();

  constructor(
    private readonly services: TransitIndexData['services'],
    private readonly exceptions: TransitIndexData['exceptions'],
  ) {}

  /** Service ids by index. */
  serviceId(service: number): string {
    return this.services.ids[service] ?? '';
  }

  /** 1 at index s when service s runs on `date` (YYYYMMDD). */
  activeOn(date: number): Uint8Array {
    const cached = this.cache.get(date);
    if (cached) return cached;
    const active = new Uint8Array(this.services.ids.length);
    for (let s = 0; s < active.length; s++) active[s] = this.regular(s, date) ? 1 : 0;
    for (const i of this.exceptionsOn(date)) active[this.exceptions.service[i]!] = this.exceptions.type[i] === 1 ? 1 : 0;
    if (this.cache.size >= CACHE_DATES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(date, active);
    return active;
  }

  /** The kind of day, for the answer's "based on the weekday timetable" line. */
  dayKind(date: number): DayKind {
    const weekday = weekdayOf(date);
    for (const i of this.exceptionsOn(date)) {
      const s = this.exceptions.service[i]!;
      // The regular service is cancelled, or a Sunday-only service added on another day: a holiday.
      if (this.exceptions.type[i] === 2 && this.regular(s, date)) return 'holiday';
      if (this.exceptions.type[i] === 1 && weekday !== 6 && this.services.weekdays[s] === SUNDAY_ONLY) return 'holiday';
    }
    return weekday === 6 ? 'sunday' : weekday === 5 ? 'saturday' : 'weekday';
  }

  private regular(s: number, date: number): boolean {
    const start = this.services.startDate[s]!;
    return start !== 0 && date >= start && date <= this.services.endDate[s]! && (this.services.weekdays[s]! & (1 << weekdayOf(date))) !== 0;
  }

  /** Indices of the exceptions on `date` (they are sorted by date). */
  private *exceptionsOn(date: number): Generator<number> {
    const dates = this.exceptions.date;
    let lo = 0;
    let hi = dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dates[mid]! < date) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < dates.length && dates[i] === date; i++) yield i;
  }
}
