/**
 * The center's shifts in Korea time (UTC+9, no daylight saving): day 08–17, night 16–24,
 * graveyard 00–09, overlapping so a handover never leaves the queue unattended.
 */
import type { Shift } from '../core/user-port';

export const KOREA_OFFSET_MS = 9 * 3600_000;

/** Start and end hour (end exclusive, 24 = midnight) of each shift. */
export const SHIFT_HOURS: Record<Shift, { start: number; end: number }> = {
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

export function isOnShift(shift: Shift, now: Date): boolean {
  const hour = koreaHour(now);
  const { start, end } = SHIFT_HOURS[shift];
  return hour >= start && hour < end;
}

/**
 * The next time (Korea "HH:00") one of the given shifts starts after `now`, or undefined when
 * none is given. Lets the bot tell a waiting resident honestly when people come back.
 */
export function nextShiftStart(shifts: Shift[], now: Date): string | undefined {
  if (!shifts.length) return undefined;
  const hour = koreaHour(now);
  let best: number | undefined;
  for (const shift of new Set(shifts)) {
    const start = SHIFT_HOURS[shift].start;
    const hoursAhead = (start - hour + 24) % 24 || 24;
    if (best === undefined || hoursAhead < best) best = hoursAhead;
  }
  return `${String((hour + best!) % 24).padStart(2, '0')}:00`;
}
