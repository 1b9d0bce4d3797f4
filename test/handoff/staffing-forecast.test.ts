/**
 * The staffing forecast against an example computed by hand.
 *
 * History: two weeks, Monday 2026-03-02 00:00 to Monday 2026-03-16 00:00 (Korea time).
 *  - Monday 10:00–11:00: 30 chats the first week, 50 the second -> 40 chats/hour.
 *  - Tuesday 14:00–15:00: 10 chats the first week, none the second -> 5 chats/hour.
 *  - No other chats. Closed episodes handled in 120, 180, 240 and 180 s -> mean 180 s.
 * Target: 80 % answered within 60 s, one chat per counselor.
 *  - Monday 10:00: A = 40 x 180 / 3600 = 2 Erlangs. With 3 counselors P(wait) = 4/9 and
 *    SL = 1 - 4/9 · e^(-(3-2)·60/180) = 0.6816 < 0.8; with 4, P(wait) = 4/23 and
 *    SL = 1 - 4/23 · e^(-(4-2)·60/180) = 0.9107 -> 4 counselors.
 *  - Tuesday 14:00: A = 5 x 180 / 3600 = 0.25 Erlangs. With 1 counselor P(wait) = A = 0.25 and
 *    SL = 1 - 0.25 · e^(-(1-0.25)·60/180) = 1 - 0.25 · 0.77880 = 0.80530 >= 0.8 -> 1 counselor.
 *  - Every other hour: no chats -> 0.
 * With three chats per counselor (concurrency 3) Monday 10:00 needs 2 (6 servers; 1 gives 3
 * servers and the 0.6816 above).
 * Roster: three day-shift counselors (08–17) and one night (16–24): 3 scheduled at Monday 10:00,
 * one short of 4.
 */
import { SHIFT_HOURS } from '../../src/handoff/shift-schedule';
import { arrivalsByHourOfWeek, forecastStaffing, hourOfWeek, meanHandleSeconds, scheduledAt } from '../../src/handoff/staffing-forecast';

const kst = (iso: string) => new Date(`${iso}+09:00`);
const from = kst('2026-03-02T00:00:00');
const to = kst('2026-03-16T00:00:00');

/** `n` arrivals spread over one hour starting at `at`. */
const burst = (at: string, n: number) => Array.from({ length: n }, (_, i) => new Date(kst(at).getTime() + i * 60_000));

const arrivals = [...burst('2026-03-02T10:00:00', 30), ...burst('2026-03-09T10:00:00', 50), ...burst('2026-03-03T14:00:00', 10)];
const handleMs = [120_000, 180_000, 240_000, 180_000];
const target = { serviceLevel: 0.8, targetSeconds: 60 };
const roster = ['day', 'day', 'day', 'night'] as const;

const MONDAY_10 = 10;
const TUESDAY_14 = 24 + 14;

describe('staffing forecast', () => {
  it('numbers the hours of the week from Monday 00:00 Korea time', () => {
    expect(hourOfWeek(kst('2026-03-02T00:30:00'))).toBe(0);
    expect(hourOfWeek(kst('2026-03-02T10:59:59'))).toBe(MONDAY_10);
    expect(hourOfWeek(kst('2026-03-03T14:00:00'))).toBe(TUESDAY_14);
    expect(hourOfWeek(kst('2026-03-08T23:00:00'))).toBe(167);
  });

  it('averages arrivals per hour of the week over the weeks observed', () => {
    const perHour = arrivalsByHourOfWeek(arrivals, from, to);
    expect(perHour).toHaveLength(168);
    expect(perHour[MONDAY_10]).toBe(40);
    expect(perHour[TUESDAY_14]).toBe(5);
    expect(perHour.reduce((a, b) => a + b, 0)).toBe(45);
    // A window ending Tuesday noon of the second week: Monday 10:00 occurred twice, Tuesday 14:00 once.
    const short = arrivalsByHourOfWeek(arrivals, from, kst('2026-03-10T12:00:00'));
    expect(short[MONDAY_10]).toBe(40);
    expect(short[TUESDAY_14]).toBe(10);
    expect(meanHandleSeconds(handleMs, 300)).toBe(180);
    expect(meanHandleSeconds([], 300)).toBe(300);
  });

  it('matches the hand-computed counselors per hour, and the schedule beside them', () => {
    const forecast = forecastStaffing({ history: { arrivals, handleMs, from, to }, start: to, hours: 168, target, fallbackHandleSeconds: 300, roster: [...roster], shiftHours: SHIFT_HOURS });
    expect(forecast.handleSeconds).toBe(180);
    expect(forecast.hours).toHaveLength(168);
    const monday10 = forecast.hours[MONDAY_10]!;
    expect(monday10).toMatchObject({ start: kst('2026-03-16T10:00:00').toISOString(), hourOfWeek: MONDAY_10, arrivalsPerHour: 40, required: 4, scheduled: 3, reachable: true });
    expect(monday10.load).toBeCloseTo(2, 12);
    expect(monday10.serviceLevel).toBeCloseTo(1 - (4 / 23) * Math.exp(-2 / 3), 9);
    const tuesday14 = forecast.hours[TUESDAY_14]!;
    expect(tuesday14).toMatchObject({ arrivalsPerHour: 5, required: 1, scheduled: 3 });
    expect(tuesday14.load).toBeCloseTo(0.25, 12);
    expect(tuesday14.serviceLevel).toBeCloseTo(1 - 0.25 * Math.exp(-0.25), 9);
    expect(tuesday14.serviceLevel).toBeCloseTo(0.8053, 4);
    // Every other hour needs nobody.
    expect(forecast.hours.filter((h) => h.required > 0).map((h) => h.hourOfWeek)).toEqual([MONDAY_10, TUESDAY_14]);
    expect(forecast).toMatchObject({ shortHours: 1, peakRequired: 4, history: { arrivals: 90, handleSamples: 4 } });
  });

  it('counts concurrent chats as extra servers', () => {
    const forecast = forecastStaffing({ history: { arrivals, handleMs, from, to }, start: to, hours: 24, target: { ...target, concurrency: 3 }, fallbackHandleSeconds: 300, roster: [], shiftHours: SHIFT_HOURS });
    expect(forecast.hours[MONDAY_10]).toMatchObject({ required: 2, scheduled: 0 });
    expect(forecast.hours).toHaveLength(24);
  });

  it('counts the counselors whose shift covers an hour', () => {
    expect(scheduledAt([...roster], SHIFT_HOURS, kst('2026-03-16T07:00:00'))).toBe(0);
    expect(scheduledAt([...roster], SHIFT_HOURS, kst('2026-03-16T16:30:00'))).toBe(4);
    expect(scheduledAt([...roster], SHIFT_HOURS, kst('2026-03-16T17:00:00'))).toBe(1);
  });
});
