/**
 * Questions answered from an imported index: routes by number, stops by name, first and last
 * departures per direction (from the first stop or at given stops), next departures, headways.
 * Every answer is computed for a service day in the feed's time zone and also looks at the previous
 * service day's trips that run past midnight. Queries touch only one route's trips (tens to a few
 * hundred), so they run on the main thread in well under a millisecond.
 */
import { addDays, localMoment } from './gtfs-time';
import { ServiceCalendar, type DayKind } from './service-calendar';
import { StopNameIndex, type StopMatch } from './stop-name-index';
import { StringTable } from './string-table';
import type { FeedInfo, TransitIndexData } from './transit-index';
import { isRailType, normalizeLineName, normalizeRouteNumber, railLineAliases } from './route-names';

const DAY = 86_400;

export interface RouteSummary {
  index: number;
  id: string;
  shortName: string;
  longName: string;
  rail: boolean;
  agency: string;
  /** The usual first and last stop of the route's first direction (-1 when it has no trips). */
  ends: [number, number];
}

/** The service day a query is answered for. */
export interface ServiceDayRef {
  /** YYYYMMDD. */
  date: number;
  kind: DayKind;
  /** Service ids of the route that run that day. */
  services: string[];
}

export interface DirectionTime {
  /** Label of the direction: the usual headsign, else the last stop's name. */
  towards: string;
  /** Stop the time is at. */
  stop: number;
  /** Seconds from the start of `day` (may pass 24 h). */
  time: number;
  day: ServiceDayRef;
}

export interface DirectionDepartures {
  towards: string;
  stop: number;
  /** Departures as seconds from the start of today's service day (yesterday's trips shifted by a day). */
  times: number[];
}

export interface DirectionHeadway {
  towards: string;
  /** From frequencies.txt: windows of regular service. */
  windows: { start: number; end: number; headway: number }[];
  /** Computed from the scheduled departures at the first stop (minutes between departures). */
  computed?: { median: number; min: number; max: number; departures: number; first: number; last: number };
}

interface Departure {
  trip: number;
  direction: string;
  stop: number;
  time: number;
}

export class TransitTimetable {
  readonly feed: FeedInfo;
  readonly stats: TransitIndexData['stats'];
  readonly calendar: ServiceCalendar;
  private readonly routeIds: StringTable;
  private readonly shortNames: StringTable;
  private readonly longNames: StringTable;
  private readonly stopIds: StringTable;
  private readonly stopNames: StringTable;
  private readonly stopCodes: StringTable;
  private readonly headsigns: StringTable;
  private readonly names: StopNameIndex;
  private byNumber?: Map<string, number[]>;
  private railAliases?: { alias: string; route: number }[];
  private children?: Map<number, number[]>;
  private translations?: Map<number, Map<string, string>>;

  constructor(private readonly data: TransitIndexData) {
    this.feed = data.feed;
    this.stats = data.stats;
    this.calendar = new ServiceCalendar(data.services, data.exceptions);
    this.routeIds = new StringTable(data.routes.ids);
    this.shortNames = new StringTable(data.routes.shortNames);
    this.longNames = new StringTable(data.routes.longNames);
    this.stopIds = new StringTable(data.stops.ids);
    this.stopNames = new StringTable(data.stops.names);
    this.stopCodes = new StringTable(data.stops.codes);
    this.headsigns = new StringTable(data.headsigns);
    this.names = new StopNameIndex(data.stopNames);
  }

  /** Today's service date and the seconds since its start, in the feed's time zone. */
  moment(now: Date): { date: number; seconds: number } {
    return localMoment(now, this.feed.timezone);
  }

  // ---- routes ----

  /** Routes whose number is exactly `number` ("7-2" never matches "72"). */
  routesByNumber(number: string, mode?: 'bus' | 'rail'): number[] {
    if (!this.byNumber) {
      this.byNumber = new Map();
      for (let r = 0; r < this.shortNames.size; r++) {
        const key = normalizeRouteNumber(this.shortNames.get(r) || this.longNames.get(r));
        const list = this.byNumber.get(key) ?? [];
        list.push(r);
        this.byNumber.set(key, list);
      }
    }
    return (this.byNumber.get(normalizeRouteNumber(number)) ?? []).filter((r) => !mode || this.isRail(r) === (mode === 'rail'));
  }

  /** Rail lines named in the text, longest names first, without overlaps. */
  railLinesIn(text: string): number[] {
    if (!this.railAliases) {
      this.railAliases = [];
      for (let r = 0; r < this.shortNames.size; r++)
        if (this.isRail(r)) for (const alias of railLineAliases(this.shortNames.get(r), this.longNames.get(r))) this.railAliases.push({ alias, route: r });
      const translated = new StringTable(this.data.routeTranslations.text);
      this.data.routeTranslations.route.forEach((r, i) => {
        if (this.isRail(r)) for (const alias of railLineAliases('', translated.get(i))) this.railAliases!.push({ alias, route: r });
      });
      this.railAliases.sort((a, b) => b.alias.length - a.alias.length);
    }
    let rest = normalizeLineName(text);
    const found: number[] = [];
    for (const { alias, route } of this.railAliases) {
      const at = rest.indexOf(alias);
      if (at < 0) continue;
      if (!found.includes(route)) found.push(route);
      rest = `${rest.slice(0, at)}\u0000${rest.slice(at + alias.length)}`;
    }
    return found;
  }

  isRail(route: number): boolean {
    return isRailType(this.data.routes.types[route] ?? 3);
  }

  routeById(id: string): number | undefined {
    for (let r = 0; r < this.routeIds.size; r++) if (this.routeIds.get(r) === id) return r;
    return undefined;
  }

  route(r: number): RouteSummary {
    const trips = this.tripsOf(r);
    const dir0 = trips.filter((t) => this.data.trips.direction[t]! <= 0);
    const sample = dir0.length ? dir0 : trips;
    const firsts = sample.map((t) => this.data.stopTimes.stop[this.data.trips.stopTimeStart[t]!]!);
    const lasts = sample.map((t) => this.data.stopTimes.stop[this.data.trips.stopTimeStart[t + 1]! - 1]!);
    return {
      index: r,
      id: this.routeIds.get(r),
      shortName: this.shortNames.get(r),
      longName: this.longNames.get(r),
      rail: this.isRail(r),
      agency: this.data.agencyNames[this.data.routes.agency[r]!] ?? '',
      ends: [mostCommon(firsts) ?? -1, mostCommon(lasts) ?? -1],
    };
  }

  /** Routes calling at any of the stops. */
  routesAtStops(stops: readonly number[], mode?: 'bus' | 'rail'): number[] {
    const found = new Set<number>();
    const { routeStart, routes } = this.data.stops;
    for (const s of stops) for (let i = routeStart[s]!; i < routeStart[s + 1]!; i++) found.add(routes[i]!);
    return [...found].filter((r) => !mode || this.isRail(r) === (mode === 'rail'));
  }

  // ---- stops ----

  /** Stops matching a typed name, best first; stations include their platforms. */
  searchStops(query: string, limit = 5): StopMatch[] {
    return this.names.search(query, limit).map((m) => ({ ...m, stops: this.withFamily(m.stops) }));
  }

  stopName(stop: number, language?: string): string {
    if (language && language !== 'ko') {
      const own = this.translationsOf(stop);
      const text = own?.get(language) ?? own?.get('en');
      if (text) return text;
    }
    return this.stopNames.get(stop);
  }

  stopId(stop: number): string {
    return this.stopIds.get(stop);
  }

  stopCode(stop: number): string {
    return this.stopCodes.get(stop);
  }

  stopById(id: string): number | undefined {
    for (let s = 0; s < this.stopIds.size; s++) if (this.stopIds.get(s) === id) return s;
    return undefined;
  }

  /** A stop, its parent station and the station's other platforms. */
  withFamily(stops: readonly number[]): number[] {
    if (!this.children) {
      this.children = new Map();
      this.data.stops.parent.forEach((p, s) => {
        if (p >= 0) this.children!.set(p, [...(this.children!.get(p) ?? []), s]);
      });
    }
    const out = new Set<number>();
    for (const s of stops) {
      const p = this.data.stops.parent[s]!;
      const top = p >= 0 ? p : s;
      out.add(s);
      out.add(top);
      for (const c of this.children.get(top) ?? []) out.add(c);
    }
    return [...out];
  }

  /** Stops of a route (any direction), in the order of its longest trip. */
  stopsOf(route: number): number[] {
    let best = -1;
    let length = 0;
    for (const t of this.tripsOf(route)) {
      const n = this.data.trips.stopTimeStart[t + 1]! - this.data.trips.stopTimeStart[t]!;
      if (n > length) [best, length] = [t, n];
    }
    if (best < 0) return [];
    const from = this.data.trips.stopTimeStart[best]!;
    return Array.from(this.data.stopTimes.stop.subarray(from, from + length));
  }

  /** The first stop of each direction of a route (where residents usually board at the terminal). */
  terminals(route: number): number[] {
    const byDirection = new Map<string, number[]>();
    for (const t of this.tripsOf(route)) {
      const key = this.directionKey(t);
      byDirection.set(key, [...(byDirection.get(key) ?? []), this.data.stopTimes.stop[this.data.trips.stopTimeStart[t]!]!]);
    }
    return [...byDirection.values()].map((stops) => mostCommon(stops)!).filter((s, i, all) => all.indexOf(s) === i);
  }

  // ---- times ----

  /** Which service day a date is, with the route's services running that day. */
  serviceDay(route: number, date: number): ServiceDayRef {
    const active = this.calendar.activeOn(date);
    const services = new Set<string>();
    for (const t of this.tripsOf(route)) {
      const s = this.data.trips.service[t]!;
      if (active[s]) services.add(this.calendar.serviceId(s));
    }
    return { date, kind: this.calendar.dayKind(date), services: [...services] };
  }

  /**
   * First or last departure per direction: from each trip's first stop, or at `stops` when given.
   * "First" is today's service day (tomorrow's once today's service has ended); "last" is
   * yesterday's service day while its after-midnight trips are still to come, else today's.
   */
  firstOrLast(route: number, which: 'first' | 'last', now: Date, stops?: readonly number[]): DirectionTime[] {
    const { date, seconds } = this.moment(now);
    const pick = (list: Departure[]) => {
      const best = new Map<string, Departure>();
      for (const d of list) {
        const cur = best.get(d.direction);
        if (!cur || (which === 'first' ? d.time < cur.time : d.time > cur.time)) best.set(d.direction, d);
      }
      return best;
    };
    const today = pick(this.departures(route, date, stops));
    let chosen = new Map<string, { dep: Departure; date: number }>([...today].map(([k, dep]) => [k, { dep, date }]));
    if (which === 'first') {
      // No service left today (or none at all): the next first departure is tomorrow's.
      if (today.size === 0 || this.lastTime(route, date, stops) < seconds) {
        const tomorrow = pick(this.departures(route, addDays(date, 1), stops));
        if (tomorrow.size) chosen = new Map([...tomorrow].map(([k, dep]) => [k, { dep, date: addDays(date, 1) }]));
      }
    } else {
      const yesterday = addDays(date, -1);
      for (const [k, dep] of pick(this.departures(route, yesterday, stops)))
        if (dep.time - DAY >= seconds) chosen.set(k, { dep, date: yesterday });
    }
    return [...chosen.values()]
      .map(({ dep, date: d }) => ({ towards: this.towards(route, dep.direction), stop: dep.stop, time: dep.time, day: this.serviceDay(route, d) }))
      .sort((a, b) => a.towards.localeCompare(b.towards));
  }

  /** Upcoming departures at `stops` per direction (today's and yesterday's after-midnight trips). */
  nextDepartures(route: number, stops: readonly number[], now: Date, perDirection = 3): DirectionDepartures[] {
    const { date, seconds } = this.moment(now);
    const upcoming = [
      ...this.departures(route, date, stops),
      ...this.departures(route, addDays(date, -1), stops).map((d) => ({ ...d, time: d.time - DAY })),
    ].filter((d) => d.time >= seconds);
    upcoming.sort((a, b) => a.time - b.time);
    const byDirection = new Map<string, DirectionDepartures>();
    for (const d of upcoming) {
      const entry = byDirection.get(d.direction) ?? { towards: this.towards(route, d.direction), stop: d.stop, times: [] };
      if (entry.times.length < perDirection && !entry.times.includes(d.time)) entry.times.push(d.time);
      byDirection.set(d.direction, entry);
    }
    return [...byDirection.values()].sort((a, b) => a.towards.localeCompare(b.towards));
  }

  /** Service frequency per direction on today's service day. */
  headways(route: number, now: Date): { day: ServiceDayRef; directions: DirectionHeadway[] } {
    const { date } = this.moment(now);
    const active = this.calendar.activeOn(date);
    const windows = new Map<string, DirectionHeadway['windows']>();
    const times = new Map<string, number[]>();
    for (const t of this.tripsOf(route)) {
      if (!active[this.data.trips.service[t]!]) continue;
      const key = this.directionKey(t);
      const { frequencyStart, stopTimeStart } = this.data.trips;
      if (frequencyStart[t + 1]! > frequencyStart[t]!) {
        const list = windows.get(key) ?? [];
        for (let f = frequencyStart[t]!; f < frequencyStart[t + 1]!; f++)
          list.push({ start: this.data.frequencies.start[f]!, end: this.data.frequencies.end[f]!, headway: this.data.frequencies.headway[f]! });
        windows.set(key, list);
      } else {
        times.set(key, [...(times.get(key) ?? []), this.data.stopTimes.time[stopTimeStart[t]!]!]);
      }
    }
    const keys = new Set([...windows.keys(), ...times.keys()]);
    const directions = [...keys].map((key) => {
      const w = (windows.get(key) ?? []).sort((a, b) => a.start - b.start);
      const sorted = (times.get(key) ?? []).sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!).filter((g) => g > 0).sort((a, b) => a - b);
      return {
        towards: this.towards(route, key),
        windows: w,
        ...(gaps.length > 0 && {
          computed: {
            median: gaps[Math.floor(gaps.length / 2)]!,
            min: gaps[0]!,
            max: gaps[gaps.length - 1]!,
            departures: sorted.length,
            first: sorted[0]!,
            last: sorted[sorted.length - 1]!,
          },
        }),
      };
    });
    return { day: this.serviceDay(route, date), directions: directions.sort((a, b) => a.towards.localeCompare(b.towards)) };
  }

  // ---- internals ----

  private tripsOf(route: number): number[] {
    const { tripStart, trips } = this.data.routes;
    return Array.from(trips.subarray(tripStart[route]!, tripStart[route + 1]!));
  }

  /** direction_id when the feed gives it, else the trip's last stop. */
  private directionKey(trip: number): string {
    const d = this.data.trips.direction[trip]!;
    return d >= 0 ? `d${d}` : `s${this.data.stopTimes.stop[this.data.trips.stopTimeStart[trip + 1]! - 1]}`;
  }

  /** The usual headsign of a direction, else its usual last stop. */
  private towards(route: number, key: string): string {
    const trips = this.tripsOf(route).filter((t) => this.directionKey(t) === key);
    const signs = trips.map((t) => this.data.trips.headsign[t]!).filter((h) => h >= 0);
    const sign = mostCommon(signs);
    if (sign !== undefined) return this.headsigns.get(sign);
    const last = mostCommon(trips.map((t) => this.data.stopTimes.stop[this.data.trips.stopTimeStart[t + 1]! - 1]!));
    return last === undefined ? '' : this.stopName(last);
  }

  private lastTime(route: number, date: number, stops?: readonly number[]): number {
    let last = -1;
    for (const d of this.departures(route, date, stops)) last = Math.max(last, d.time);
    return last;
  }

  /** Every departure of the route on service date `date`, at `stops` or at each trip's first stop. */
  private departures(route: number, date: number, stops?: readonly number[]): Departure[] {
    const active = this.calendar.activeOn(date);
    const wanted = stops ? new Set(stops) : undefined;
    const { stopTimeStart, frequencyStart, service } = this.data.trips;
    const { stop: stStop, time: stTime } = this.data.stopTimes;
    const out: Departure[] = [];
    for (const t of this.tripsOf(route)) {
      if (!active[service[t]!]) continue;
      const from = stopTimeStart[t]!;
      const to = stopTimeStart[t + 1]!;
      if (to - from < 1) continue;
      const direction = this.directionKey(t);
      // At a named stop: every call there except the trip's final arrival.
      const calls: number[] = [];
      if (!wanted) calls.push(from);
      else for (let k = from; k < to - 1; k++) if (wanted.has(stStop[k]!)) calls.push(k);
      for (const k of calls) {
        if (frequencyStart[t + 1]! > frequencyStart[t]!) {
          const offset = stTime[k]! - stTime[from]!;
          const f = this.data.frequencies;
          for (let i = frequencyStart[t]!; i < frequencyStart[t + 1]!; i++)
            for (let start = f.start[i]!; start < f.end[i]!; start += f.headway[i]!) out.push({ trip: t, direction, stop: stStop[k]!, time: start + offset });
        } else out.push({ trip: t, direction, stop: stStop[k]!, time: stTime[k]! });
      }
    }
    return out;
  }

  private translationsOf(stop: number): Map<string, string> | undefined {
    if (!this.translations) {
      this.translations = new Map();
      const t = this.data.stopTranslations;
      const texts = new StringTable(t.text);
      t.stop.forEach((s, i) => {
        const map = this.translations!.get(s) ?? new Map<string, string>();
        map.set(t.languages[t.language[i]!] ?? '', texts.get(i));
        this.translations!.set(s, map);
      });
    }
    return this.translations.get(stop);
  }
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) [best, bestCount] = [v, c];
  }
  return best;
}
