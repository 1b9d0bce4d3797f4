/**
 * The dashboard's staffing forecast: reads the last STAFFING_HISTORY_WEEKS of queue episodes
 * (arrivals, and handle times of closed ones) and the counselors' shifts, and runs the pure forecast
 * (staffing-forecast.ts) for the coming week. The answer is kept for a few minutes per instance:
 * it is derived data, and the history changes little between two dashboard refreshes.
 */
import type { Store } from '../core/store-port';
import type { StaffingTarget } from './erlang-c';
import type { ShiftSchedule } from './shift-schedule';
import { forecastStaffing, hourStart, type StaffingForecast } from './staffing-forecast';

const HOUR_MS = 3600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** Handle time assumed before any chat has been closed (five minutes, a typical civil-service chat). */
export const DEFAULT_HANDLE_SECONDS = 300;
/** Most episodes read for one forecast (about 7,000 chats a day for four weeks). */
const MAX_EPISODES = 200_000;

export interface StaffingServiceDeps {
  store: Store;
  shifts: ShiftSchedule;
  /** Service level, target wait and concurrency (COUNSELOR_MAX_CHATS). */
  target: StaffingTarget;
  historyWeeks: number;
  /** How long a computed forecast is reused; default five minutes. */
  cacheMs?: number;
}

export interface StaffingView extends StaffingForecast {
  generatedAt: string;
  historyWeeks: number;
  /** Counselors with a shift (counted per hour) and without one (not counted). */
  roster: { scheduled: number; unscheduled: number };
}

export class StaffingService {
  private cached?: { at: number; hour: number; view: StaffingView };

  constructor(private readonly deps: StaffingServiceDeps) {}

  /** Counselors needed and scheduled for each hour of the coming week, from the current hour. */
  async forecast(now = new Date()): Promise<StaffingView> {
    const start = hourStart(now);
    const cacheMs = this.deps.cacheMs ?? 5 * 60_000;
    if (this.cached && this.cached.hour === start.getTime() && now.getTime() - this.cached.at < cacheMs) return this.cached.view;

    const { store, shifts } = this.deps;
    const windowStart = new Date(start.getTime() - this.deps.historyWeeks * WEEK_MS);
    const [episodes, users] = await Promise.all([store.episodes.listQueuedSince(windowStart, MAX_EPISODES), store.users.list({ role: 'counselor' })]);
    // A requeue is the same resident's chat going round again, not a new arrival.
    const arrivals = episodes.filter((e) => e.reason !== 'requeue' && e.queuedAt < start).map((e) => e.queuedAt);
    const handleMs = episodes
      .filter((e) => e.outcome === 'closed' && e.assignedAt && e.endedAt && e.endedAt < start)
      .map((e) => e.endedAt!.getTime() - e.assignedAt!.getTime());
    // History begins with the first chat when the service is younger than the window.
    const first = arrivals.reduce<Date | undefined>((min, a) => (!min || a < min ? a : min), undefined);
    const from = first && first > windowStart ? hourStart(first) : windowStart;
    const active = users.filter((u) => !u.disabled);
    const roster = active.flatMap((u) => (u.shift ? [u.shift] : []));

    const forecast = forecastStaffing({
      history: { arrivals, handleMs, from, to: start },
      start,
      hours: 168,
      target: this.deps.target,
      fallbackHandleSeconds: DEFAULT_HANDLE_SECONDS,
      roster,
      shiftHours: shifts.hours,
    });
    const view: StaffingView = {
      ...forecast,
      generatedAt: now.toISOString(),
      historyWeeks: this.deps.historyWeeks,
      roster: { scheduled: roster.length, unscheduled: active.length - roster.length },
    };
    this.cached = { at: now.getTime(), hour: start.getTime(), view };
    return view;
  }
}
