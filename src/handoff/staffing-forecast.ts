/**
 * The staffing forecast as pure arithmetic: chat history -> average arrivals per hour of the week
 * (Korea time) and mean handle time -> Erlang C (src/handoff/erlang-c.ts) -> counselors needed per
 * hour for the coming hours, next to the counselors the shift schedule puts on the floor.
 *
 * Arrivals of an hour of the week are averaged over the times that hour occurred in the observed
 * window, so a window shorter than a whole number of weeks is not biased. One mean handle time
 * serves every hour (night chats may differ; a per-hour mean would need more history per slot).
 */
import type { Shift } from '../core/user-port';
import { requiredAgents, type StaffingTarget } from './erlang-c';
import { coversHour, KOREA_OFFSET_MS, type ShiftHours } from './shift-schedule';

const HOUR_MS = 3600_000;
export const HOURS_PER_WEEK = 168;

/** Hour of the week in Korea time: 0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00. */
export function hourOfWeek(at: Date): number {
  const korea = new Date(at.getTime() + KOREA_OFFSET_MS);
  const mondayFirst = (korea.getUTCDay() + 6) % 7;
  return mondayFirst * 24 + korea.getUTCHours();
}

/** The start of the hour containing `at` (Korea's offset is whole hours, so UTC hours align). */
export function hourStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * Average arrivals per hour of the week over [from, to) (both on hour starts): for each of the 168
 * hours, the arrivals in it divided by how many times it occurred in the window (0 when it never did).
 */
export function arrivalsByHourOfWeek(arrivals: readonly Date[], from: Date, to: Date): number[] {
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  const occurrences = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (let t = from.getTime(); t < to.getTime(); t += HOUR_MS) occurrences[hourOfWeek(new Date(t))]! += 1;
  for (const a of arrivals) {
    if (a >= from && a < to) counts[hourOfWeek(a)]! += 1;
  }
  return counts.map((c, i) => (occurrences[i] ? c / occurrences[i]! : 0));
}

/** Mean of the handle times in seconds, or `fallbackSeconds` without any. */
export function meanHandleSeconds(handleMs: readonly number[], fallbackSeconds: number): number {
  if (!handleMs.length) return fallbackSeconds;
  return handleMs.reduce((a, b) => a + b, 0) / handleMs.length / 1000;
}

export interface StaffingHistory {
  /** When each chat entered the counselor queue. */
  arrivals: readonly Date[];
  /** Assigned-to-closed durations of closed episodes, in milliseconds. */
  handleMs: readonly number[];
  /** The observed window [from, to), on hour starts. */
  from: Date;
  to: Date;
}

export interface ForecastInput {
  history: StaffingHistory;
  /** First forecast hour (an hour start) and how many hours to forecast (168 = a week). */
  start: Date;
  hours: number;
  /** Service-level target; `concurrency` is the chats one counselor works at once. */
  target: StaffingTarget;
  /** Used when the history has no closed episode. */
  fallbackHandleSeconds: number;
  /** The shift of every counselor on the roster (one entry each), and the shift hours. */
  roster: readonly Shift[];
  shiftHours: ShiftHours;
}

export interface HourForecast {
  /** ISO start of the hour. */
  start: string;
  /** 0–167, Monday 00:00 first, Korea time. */
  hourOfWeek: number;
  arrivalsPerHour: number;
  /** Offered load in Erlangs. */
  load: number;
  /** Counselors needed to meet the target. */
  required: number;
  /** Counselors whose shift covers this hour. */
  scheduled: number;
  /** Share answered within the target wait with `required` counselors. */
  serviceLevel: number;
  /** False when even the search limit of counselors cannot meet the target. */
  reachable: boolean;
}

export interface StaffingForecast {
  history: { from: string; to: string; arrivals: number; handleSamples: number };
  handleSeconds: number;
  target: StaffingTarget;
  hours: HourForecast[];
  /** Hours where fewer counselors are scheduled than needed. */
  shortHours: number;
  peakRequired: number;
}

/** Counselors whose shift covers the Korea hour of `at`. */
export function scheduledAt(roster: readonly Shift[], shiftHours: ShiftHours, at: Date): number {
  const hour = new Date(at.getTime() + KOREA_OFFSET_MS).getUTCHours();
  return roster.filter((shift) => coversHour(shiftHours[shift], hour)).length;
}

/** Counselors needed per hour from `start` for `hours` hours, against the roster. */
export function forecastStaffing(input: ForecastInput): StaffingForecast {
  const { history, target } = input;
  const perHour = arrivalsByHourOfWeek(history.arrivals, history.from, history.to);
  const handleSeconds = meanHandleSeconds(history.handleMs, input.fallbackHandleSeconds);
  // The same hour of the week gives the same answer: compute each of the 168 once.
  const bySlot = new Map<number, ReturnType<typeof requiredAgents>>();
  const hours: HourForecast[] = [];
  for (let i = 0; i < input.hours; i++) {
    const at = new Date(input.start.getTime() + i * HOUR_MS);
    const slot = hourOfWeek(at);
    const arrivalsPerHour = perHour[slot]!;
    let result = bySlot.get(slot);
    if (!result) {
      result = requiredAgents(arrivalsPerHour, handleSeconds, target);
      bySlot.set(slot, result);
    }
    hours.push({
      start: at.toISOString(),
      hourOfWeek: slot,
      arrivalsPerHour,
      load: result.load,
      required: result.agents,
      scheduled: scheduledAt(input.roster, input.shiftHours, at),
      serviceLevel: result.serviceLevel,
      reachable: result.reachable,
    });
  }
  return {
    history: {
      from: history.from.toISOString(),
      to: history.to.toISOString(),
      arrivals: history.arrivals.filter((a) => a >= history.from && a < history.to).length,
      handleSamples: history.handleMs.length,
    },
    handleSeconds,
    target,
    hours,
    shortHours: hours.filter((h) => h.scheduled < h.required).length,
    peakRequired: hours.reduce((max, h) => Math.max(max, h.required), 0),
  };
}
