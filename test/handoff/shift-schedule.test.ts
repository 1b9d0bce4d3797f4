/** The configurable shift schedule: who is on shift, the grace period at a shift's end, parsing SHIFT_HOURS. */
import { loadConfig } from '../../src/config';
import { SHIFTS } from '../../src/core/user-port';
import { parseShiftHours, ShiftSchedule, SHIFT_HOURS } from '../../src/handoff/shift-schedule';

/** An instant at Korea time HH:MM on 2026-03-02 (a Monday). */
const kst = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+09:00`);

describe('ShiftSchedule', () => {
  const schedule = new ShiftSchedule(SHIFT_HOURS, 30 * 60_000);

  it('puts a counselor on shift from the start hour up to (not including) the end hour', () => {
    expect(schedule.status({ shift: 'day' }, kst('08:00'))).toBe('on');
    expect(schedule.status({ shift: 'day' }, kst('16:59'))).toBe('on');
    expect(schedule.status({ shift: 'day' }, kst('07:59'))).toBe('off');
    expect(schedule.status({ shift: 'night' }, kst('23:59'))).toBe('on');
    expect(schedule.status({ shift: 'graveyard' }, kst('00:00'))).toBe('on');
    expect(schedule.status({ shift: 'graveyard' }, kst('09:00'))).toBe('grace');
  });

  it('keeps a counselor in the grace period for the configured minutes after the end, then off', () => {
    expect(schedule.status({ shift: 'day' }, kst('17:00'))).toBe('grace');
    expect(schedule.status({ shift: 'day' }, kst('17:29'))).toBe('grace');
    expect(schedule.status({ shift: 'day' }, kst('17:30'))).toBe('off');
    // The night shift ends at midnight: the grace runs into the next day.
    expect(schedule.status({ shift: 'night' }, kst('00:10'))).toBe('grace');
    expect(schedule.status({ shift: 'night' }, kst('00:31'))).toBe('off');
    expect(new ShiftSchedule(SHIFT_HOURS, 0).status({ shift: 'day' }, kst('17:00'))).toBe('off');
  });

  it('does not restrict an account without a shift, and says who takes new chats', () => {
    expect(schedule.status({}, kst('03:00'))).toBe('unscheduled');
    expect(schedule.takesNewChats({}, kst('03:00'))).toBe(true);
    expect(schedule.takesNewChats({ shift: 'day' }, kst('12:00'))).toBe(true);
    expect(schedule.takesNewChats({ shift: 'day' }, kst('17:10'))).toBe(false);
  });

  it('handles a shift that runs past midnight', () => {
    const hours = parseShiftHours('day=09-18,night=18-02,graveyard=22-09', SHIFTS);
    const s = new ShiftSchedule(hours, 15 * 60_000);
    expect(s.status({ shift: 'night' }, kst('23:00'))).toBe('on');
    expect(s.status({ shift: 'night' }, kst('01:59'))).toBe('on');
    expect(s.status({ shift: 'night' }, kst('02:10'))).toBe('grace');
    expect(s.status({ shift: 'night' }, kst('02:20'))).toBe('off');
    expect(s.status({ shift: 'night' }, kst('17:00'))).toBe('off');
    expect(s.nextStart(['night', 'day'], kst('03:00'))).toBe('09:00');
    expect(s.covers('graveyard', 23)).toBe(true);
    expect(s.covers('graveyard', 9)).toBe(false);
  });
});

describe('SHIFT_HOURS', () => {
  const problem = (value: string) => {
    try {
      loadConfig({ SHIFT_HOURS: value });
    } catch (err) {
      return (err as Error).message;
    }
    return undefined;
  };

  it('defaults to the center’s day, night and graveyard hours and reads other hours', () => {
    expect(loadConfig({}).SHIFT_HOURS).toEqual(SHIFT_HOURS);
    expect(loadConfig({ SHIFT_HOURS: 'day=09-18, night=18-24, graveyard=0-9' }).SHIFT_HOURS).toEqual({
      day: { start: 9, end: 18 },
      night: { start: 18, end: 24 },
      graveyard: { start: 0, end: 9 },
    });
    expect(loadConfig({ SHIFT_HOURS: 'day=00-24,night=00-24,graveyard=00-24' }).SHIFT_HOURS.day).toEqual({ start: 0, end: 24 });
  });

  it('refuses bad hours, naming the variable and the problem', () => {
    expect(problem('day=08-17,night=16-24')).toMatch(/SHIFT_HOURS: missing graveyard/);
    expect(problem('day=08-17,night=16-24,graveyard=00-09,evening=18-22')).toMatch(/SHIFT_HOURS: unknown shift "evening"/);
    expect(problem('day=8,night=16-24,graveyard=00-09')).toMatch(/SHIFT_HOURS: "day=8" is not name=HH-HH/);
    expect(problem('day=08-25,night=16-24,graveyard=00-09')).toMatch(/SHIFT_HOURS: day: end hour 25/);
    expect(problem('day=08-08,night=16-24,graveyard=00-09')).toMatch(/SHIFT_HOURS: day: start and end are the same hour/);
    expect(problem('day=08-17,day=09-18,night=16-24,graveyard=00-09')).toMatch(/given twice/);
  });
});
