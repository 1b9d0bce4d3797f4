/** Timetable queries on the fixture feed: service days, after-midnight trips, each question type, names. */
import { buildTransitIndex } from '../../src/transit/gtfs-index-builder';
import { routeTokens } from '../../src/transit/route-names';
import { normalizeStopName, romanizeHangul } from '../../src/transit/stop-name-normalize';
import { TransitTimetable } from '../../src/transit/transit-timetable';
import { MINI_FEED } from './transit-test-kit';

const at = (iso: string) => new Date(`${iso}+09:00`);
const hm = (h: number, m: number) => h * 3600 + m * 60;
let tt: TransitTimetable;

beforeAll(async () => {
  tt = new TransitTimetable(await buildTransitIndex(MINI_FEED));
});

describe('service days', () => {
  it('uses the weekday, Saturday and Sunday services by date, and the holiday exception', () => {
    const r = tt.routesByNumber('7-2')[0]!;
    const first = (iso: string) => tt.firstOrLast(r, 'first', at(iso)).map((d) => [d.towards, d.time, d.day.kind, d.day.services]);
    expect(first('2026-11-30T10:00:00')).toEqual([
      ['광교중앙역', hm(5, 30), 'weekday', ['WD']],
      ['수원역', hm(5, 50), 'weekday', ['WD']],
    ]);
    expect(first('2026-12-05T10:00:00')[0]).toEqual(['광교중앙역', hm(6, 0), 'saturday', ['SA']]);
    expect(first('2026-12-06T10:00:00')[0]).toEqual(['광교중앙역', hm(6, 30), 'sunday', ['SU']]);
    // Friday 25 December: the weekday service is removed and the Sunday one added.
    expect(first('2026-12-25T10:00:00')[0]).toEqual(['광교중앙역', hm(6, 30), 'holiday', ['SU']]);
    expect(first('2026-12-24T10:00:00')[0]).toEqual(['광교중앙역', hm(5, 30), 'weekday', ['WD']]);
  });

  it("answers the last departure from yesterday's service while its after-midnight trips are still to come", () => {
    const r = tt.routesByNumber('7-2')[0]!;
    // Tuesday 00:30: Monday's 24:40 (00:40) toward 수원역 is still ahead; toward 광교중앙역 Monday's 24:20 has left.
    const last = tt.firstOrLast(r, 'last', at('2026-12-01T00:30:00'));
    expect(last.map((d) => [d.towards, d.time, d.day.date])).toEqual([
      ['광교중앙역', hm(24, 20), 20261201],
      ['수원역', hm(24, 40), 20261130],
    ]);
    // Next departures at that hour include Monday's trip, on today's clock.
    expect(tt.nextDepartures(r, tt.searchStops('광교중앙역')[0]!.stops, at('2026-12-01T00:30:00'), 1)).toEqual([
      expect.objectContaining({ towards: '수원역', times: [hm(0, 40)] }),
    ]);
  });

  it("gives tomorrow's first departure once today's service is over", () => {
    const r = tt.routesByNumber('60').find((x) => tt.route(x).id === 'SW-60')!;
    const first = tt.firstOrLast(r, 'first', at('2026-11-30T23:00:00'));
    expect(first.map((d) => [d.time, d.day.date])).toEqual([[hm(6, 5), 20261201]]);
  });
});

describe('queries', () => {
  it('first and last at a named stop, per direction', () => {
    const r = tt.routesByNumber('7-2')[0]!;
    const ggdc = tt.searchStops('경기도청')[0]!.stops;
    expect(tt.firstOrLast(r, 'first', at('2026-11-30T10:00:00'), ggdc).map((d) => [d.towards, d.time])).toEqual([
      ['광교중앙역', hm(5, 42)],
      ['수원역', hm(6, 3)],
    ]);
  });

  it('next departures at a stop, soonest first, at most n per direction; arrivals at the terminus are not departures', () => {
    const r = tt.routesByNumber('7-2')[0]!;
    const next = tt.nextDepartures(r, tt.searchStops('수원역')[0]!.stops, at('2026-11-30T06:10:00'), 2);
    expect(next.map((d) => [d.towards, d.times])).toEqual([['광교중앙역', [hm(6, 30), hm(12, 0)]]]);
  });

  it('headways from frequencies.txt windows, and computed from scheduled trips', () => {
    const r = tt.routesByNumber('3000')[0]!;
    const { directions, day } = tt.headways(r, at('2026-11-30T10:00:00'));
    expect(day.kind).toBe('weekday');
    expect(directions.find((d) => d.towards === '강남역')?.windows.map((w) => w.headway)).toEqual([1200, 600, 900]);
    expect(directions.find((d) => d.towards === '수원역')?.computed).toMatchObject({ median: 3600, departures: 5, first: hm(6, 0), last: hm(22, 0) });
  });

  it('expands frequency-based trips into departures (end time excluded)', () => {
    const r = tt.routesByNumber('3000')[0]!;
    const last = tt.firstOrLast(r, 'last', at('2026-11-30T10:00:00')).find((d) => d.towards === '강남역');
    expect(last?.time).toBe(hm(22, 45));
    const next = tt.nextDepartures(r, tt.searchStops('수원역')[0]!.stops, at('2026-11-30T06:50:00'), 3);
    expect(next.find((d) => d.towards === '강남역')?.times).toEqual([hm(7, 0), hm(7, 10), hm(7, 20)]);
  });

  it('rail lines: found by name in text (longest first), first and last trains at a station', () => {
    const [line] = tt.railLinesIn('수인분당선 망포역 막차');
    expect(line).toBeDefined();
    expect(tt.isRail(line!)).toBe(true);
    const mangpo = tt.searchStops('망포역')[0]!.stops;
    expect(tt.firstOrLast(line!, 'last', at('2026-11-30T10:00:00'), mangpo).map((d) => [d.towards, d.time])).toEqual([
      ['왕십리', hm(24, 11)],
      ['인천', hm(24, 39)],
    ]);
    expect(tt.railLinesIn('신분당선 막차')).toEqual([]);
  });
});

describe('route numbers', () => {
  it('matches exactly: 7-2 is not 72', () => {
    expect(tt.routesByNumber('7-2').map((r) => tt.route(r).id)).toEqual(['SW-7-2']);
    expect(tt.routesByNumber('72').map((r) => tt.route(r).id)).toEqual(['SW-72']);
    expect(tt.routesByNumber('７－２').map((r) => tt.route(r).id)).toEqual(['SW-7-2']);
    expect(tt.routesByNumber('60').map((r) => tt.route(r).agency)).toEqual(['수원여객', '의정부 교통']);
  });

  it('finds route numbers in text, leaving phone numbers, times and rail line numbers out', () => {
    expect(routeTokens('7-2번 버스 첫차가 몇 시예요?')).toEqual([{ number: '7-2', strong: true }]);
    expect(routeTokens('When is the last 7770 bus?')).toEqual([{ number: '7770', strong: true }]);
    expect(routeTokens('M5107 막차')).toEqual([{ number: 'M5107', strong: false }]);
    expect(routeTokens('제 번호는 010-1234-5678이고 5시 30분에 1호선 타요')).toEqual([]);
  });
});

describe('stop names', () => {
  it('normalizes spacing, suffixes, brackets and romanizes Hangul', () => {
    expect(normalizeStopName('수원 역 정류장')).toBe('수원');
    expect(normalizeStopName('경기도청(북문)')).toBe('경기도청');
    expect(normalizeStopName('Suwon Station')).toBe('suwon');
    expect(normalizeStopName('Ga Suwon')).toBe('suwon');
    expect(romanizeHangul('광교중앙')).toBe('gwanggyojungang');
    expect(romanizeHangul('수원역')).toBe('suwonyeok');
  });

  it('finds stops by fuzzy name, romanization and translations.txt', () => {
    const name = (q: string) => tt.searchStops(q).map((m) => tt.stopName(m.stops[0]!));
    expect(name('경기도청 정류장')[0]).toBe('경기도청');
    expect(name('도청')[0]).toBe('경기도청');
    expect(name('Gyeonggi Provincial Office')[0]).toBe('경기도청');
    expect(name('suwon-yeok')[0]).toBe('수원역');
    expect(name('gwanggyojungang station')[0]).toBe('광교중앙역');
    expect(name('광교 중앙역')[0]).toBe('광교중앙역');
    expect(name('부산역')).toEqual([]);
    expect(tt.stopName(tt.searchStops('경기도청')[0]!.stops[0]!, 'zh')).toBe('京畿道厅');
  });
});
