/**
 * The center's shifts in Korea time (UTC+9, no daylight saving). The hours are configurable
 * (SHIFT_HOURS); the default is day 08–17, night 16–24, graveyard 00–09, overlapping so a handover
 * never leaves the queue unattended. The schedule drives routing (only counselors on shift get new
 * chats), the honest "nobody is on duty" notice and the staffing forecast.
 */
import type { ConsoleUser, Shift } from '../core/user-port';

export const KOREA_OFFSET_MS = 9 * 3600_000;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Start and end hour of a shift: end exclusive, 24 = midnight; an end before the start runs past midnight. */
export interface ShiftRange {
  start: number;
  end: number;
}

export type ShiftHours = Record<Shift, ShiftRange>;

/** The default hours (SHIFT_HOURS unset). */
export const SHIFT_HOURS: ShiftHours = {
  day: { start: 8, end: 17 },
  night: { start: 16, end: 24 },
  graveyard: { start: 0, end: 9 },
};

/** Hour of day in Korea (0–23). */
export function koreaHour(now: Date): number {
  return new Date(now.getTime() + KOREA_OFFSET_MS).getUTCHours();
}

/** YYYY-MM-DD of the day in Korea, used to bucket daily figures. */
export function koreaDay(now: Date): string {
  return new Date(now.getTime() + KOREA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Korea day (YYYY-MM-DD) begins. */
export function koreaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - KOREA_OFFSET_MS);
}

/** True when the range covers this Korea hour (0–23). */
export function coversHour(range: ShiftRange, hour: number): boolean {
  return range.start < range.end ? hour >= range.start && hour < range.end : hour >= range.start || hour < range.end;
}

export function isOnShift(shift: Shift, now: Date, hours: ShiftHours = SHIFT_HOURS): boolean {
  return coversHour(hours[shift], koreaHour(now));
}

/**
 * The next time (Korea "HH:00") one of the given shifts starts after `now`, or undefined when
 * none is given. Lets the bot tell a waiting resident honestly when people come back.
 */
export function nextShiftStart(shifts: Shift[], now: Date, hours: ShiftHours = SHIFT_HOURS): string | undefined {
  if (!shifts.length) return undefined;
  const hour = koreaHour(now);
  let best: number | undefined;
  for (const shift of new Set(shifts)) {
    const start = hours[shift].start;
    const hoursAhead = (start - hour + 24) % 24 || 24;
    if (best === undefined || hoursAhead < best) best = hoursAhead;
  }
  return `${String((hour + best!) % 24).padStart(2, '0')}:00`;
}

/**
 * Where a counselor stands against the schedule: on shift; in the grace period just after their
 * shift ended (they finish what they hold and may get back chats they held before); off shift; or
 * unscheduled (no shift on the account: not restricted, e.g. overtime a supervisor arranged).
 */
export type ShiftStatus = 'on' | 'grace' | 'off' | 'unscheduled';

/** The configured shift hours with the grace period at a shift's end. */
export class ShiftSchedule {
  constructor(
    readonly hours: ShiftHours = SHIFT_HOURS,
    /** How long after a shift's end a counselor still counts for chats they held (SHIFT_GRACE_MINUTES). */
    readonly graceMs = 0,
  ) {}

  status(user: Pick<ConsoleUser, 'shift'>, now: Date): ShiftStatus {
    if (!user.shift) return 'unscheduled';
    const range = this.hours[user.shift];
    if (coversHour(range, koreaHour(now))) return 'on';
    const msOfDay = (now.getTime() + KOREA_OFFSET_MS) % DAY_MS;
    const sinceEnd = (msOfDay - (range.end % 24) * HOUR_MS + DAY_MS) % DAY_MS;
    return sinceEnd < this.graceMs ? 'grace' : 'off';
  }

  /** True when the router may give this user new chats now (on shift, or no shift set). */
  takesNewChats(user: Pick<ConsoleUser, 'shift'>, now: Date): boolean {
    const status = this.status(user, now);
    return status === 'on' || status === 'unscheduled';
  }

  /** True when one of these shifts covers this Korea hour (0–23). */
  covers(shift: Shift, hour: number): boolean {
    return coversHour(this.hours[shift], hour);
  }

  nextStart(shifts: Shift[], now: Date): string | undefined {
    return nextShiftStart(shifts, now, this.hours);
  }
}

/**
 * Parses SHIFT_HOURS, e.g. "day=08-17,night=16-24,graveyard=00-09": every shift once, whole hours,
 * start 0–23, end 1–24, start ≠ end (0-24 is all day).
 * @throws Error naming what is wrong.
 */
export function parseShiftHours(spec: string, shifts: readonly Shift[]): ShiftHours {
  const out: Partial<ShiftHours> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d{1,2})-(\d{1,2})$/.exec(part);
    if (!m) throw new Error(`"${part}" is not name=HH-HH`);
    const name = m[1] as Shift;
    if (!shifts.includes(name)) throw new Error(`unknown shift "${m[1]}" (expected ${shifts.join(', ')})`);
    if (out[name]) throw new Error(`shift "${name}" is given twice`);
    const start = Number(m[2]);
    const end = Number(m[3]);
    if (start > 23) throw new Error(`${name}: start hour ${start} is not 0–23`);
    if (end < 1 || end > 24) throw new Error(`${name}: end hour ${end} is not 1–24`);
    if (start === end) throw new Error(`${name}: start and end are the same hour`);
    out[name] = { start, end };
  }
  const missing = shifts.filter((s) => !out[s]);
  if (missing.length) throw new Error(`missing ${missing.join(', ')}`);
  return out as ShiftHours;
}
