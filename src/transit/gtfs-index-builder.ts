/**
 * Imports a GTFS feed into a TransitIndexData, table by table in dependency order, streaming each
 * file once. The first problem stops the import with its file, line and field. Runs in a worker
 * thread (gtfs-import-worker.ts): a Gyeonggi-size feed takes tens of seconds of CPU.
 */
import path from 'node:path';
import { GtfsImportError } from './gtfs-import-error';
import { openGtfsSource, type GtfsSource } from './gtfs-source';
import { parseGtfsDate, parseGtfsTime, NO_TIME, isValidTimeZone } from './gtfs-time';
import { readTable, type TableHeader } from './gtfs-table-reader';
import { buildStopNameIndex } from './stop-name-index';
import { StopTimeTable } from './stop-time-table';
import { encodeStrings } from './string-table';
import type { FeedInfo, TransitIndexData } from './transit-index';

/** The zone of the Gyeonggi feeds, used when agency.txt leaves it out. */
export const DEFAULT_TIMEZONE = 'Asia/Seoul';

const WEEKDAY_COLUMNS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Interns strings to dense indices. */
class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  get size(): number {
    return this.values.length;
  }
}

function cell(row: string[], column: number): string {
  return column < 0 ? '' : (row[column] ?? '').trim();
}

function integer(header: TableHeader, row: string[], column: number, field: string, line: number, allowed?: number[]): number {
  const raw = cell(row, column);
  const value = Number(raw);
  if (raw === '' || !Number.isInteger(value) || (allowed && !allowed.includes(value)))
    throw header.problem(line, field, `expected ${allowed ? `one of ${allowed.join(', ')}` : 'an integer'}, got "${raw}"`);
  return value;
}

function date(header: TableHeader, row: string[], column: number, field: string, line: number): number {
  const raw = cell(row, column);
  const value = parseGtfsDate(raw);
  if (value === undefined) throw header.problem(line, field, `expected a date YYYYMMDD, got "${raw}"`);
  return value;
}

interface Progress {
  (file: string): void;
}

/**
 * Reads the feed at `location` (folder or .zip).
 * @throws GtfsImportError for a missing or malformed required file, or a bad row
 */
export async function buildTransitIndex(location: string, progress: Progress = () => undefined): Promise<TransitIndexData> {
  const started = Date.now();
  const source = await openGtfsSource(location);
  try {
    return await build(source, path.basename(location), started, progress);
  } finally {
    source.close();
  }
}

async function required(source: GtfsSource, file: string, setup: Parameters<typeof readTable>[2]): Promise<void> {
  if (!(await readTable(source, file, setup))) throw new GtfsImportError({ file, message: 'required file is missing from the feed' });
}

async function build(source: GtfsSource, feedFile: string, started: number, progress: Progress): Promise<TransitIndexData> {
  const feedInfo: Partial<FeedInfo> = {};
  progress('feed_info.txt');
  await readTable(source, 'feed_info.txt', (h) => {
    const [name, version, start, end] = ['feed_publisher_name', 'feed_version', 'feed_start_date', 'feed_end_date'].map((c) => h.optional(c));
    return (row, line) => {
      if (feedInfo.name !== undefined) return;
      feedInfo.name = cell(row, name!);
      if (cell(row, version!)) feedInfo.version = cell(row, version!);
      if (cell(row, start!)) feedInfo.startDate = date(h, row, start!, 'feed_start_date', line);
      if (cell(row, end!)) feedInfo.endDate = date(h, row, end!, 'feed_end_date', line);
    };
  });

  // agency.txt
  progress('agency.txt');
  const agencies = new Interner();
  const agencyNames: string[] = [];
  let timezone: string | undefined;
  await required(source, 'agency.txt', (h) => {
    const [id, name, tz] = [h.optional('agency_id'), h.required('agency_name'), h.required('agency_timezone')];
    return (row, line) => {
      const agencyId = cell(row, id);
      if (agencies.find(agencyId) !== undefined) throw h.problem(line, 'agency_id', `duplicate agency_id "${agencyId}"`);
      agencies.id(agencyId);
      agencyNames.push(cell(row, name));
      const zone = cell(row, tz);
      if (zone && !isValidTimeZone(zone)) throw h.problem(line, 'agency_timezone', `unknown time zone "${zone}"`);
      timezone ??= zone || undefined;
    };
  });

  // routes.txt
  progress('routes.txt');
  const routeIds = new Interner();
  const shortNames: string[] = [];
  const longNames: string[] = [];
  const routeTypes: number[] = [];
  const routeAgency: number[] = [];
  await required(source, 'routes.txt', (h) => {
    const [id, agency, short, long, typeColumn] = [
      h.required('route_id'),
      h.optional('agency_id'),
      h.optional('route_short_name'),
      h.optional('route_long_name'),
      h.required('route_type'),
    ];
    return (row, line) => {
      const routeId = cell(row, id);
      if (!routeId) throw h.problem(line, 'route_id', 'empty route_id');
      if (routeIds.find(routeId) !== undefined) throw h.problem(line, 'route_id', `duplicate route_id "${routeId}"`);
      const shortName = cell(row, short);
      const longName = cell(row, long);
      if (!shortName && !longName) throw h.problem(line, 'route_short_name', 'a route needs route_short_name or route_long_name');
      const type = integer(h, row, typeColumn, 'route_type', line);
      if (type < 0) throw h.problem(line, 'route_type', `expected a route type, got "${cell(row, typeColumn)}"`);
      const agencyId = cell(row, agency);
      const agencyIndex = agencies.find(agencyId) ?? (agencies.size === 1 && !agencyId ? 0 : undefined);
      if (agencyIndex === undefined)
        throw h.problem(line, 'agency_id', agencyId ? `unknown agency_id "${agencyId}"` : 'agency_id is required when the feed has several agencies');
      routeIds.id(routeId);
      shortNames.push(shortName);
      longNames.push(longName);
      routeTypes.push(type);
      routeAgency.push(agencyIndex);
    };
  });

  // stops.txt
  progress('stops.txt');
  const stopIds = new Interner();
  const stopNames: string[] = [];
  const stopCodes: string[] = [];
  const parentIds: { stop: number; parent: string; line: number }[] = [];
  await required(source, 'stops.txt', (h) => {
    const [id, name, code, parent, locationType] = [
      h.required('stop_id'),
      h.optional('stop_name'),
      h.optional('stop_code'),
      h.optional('parent_station'),
      h.optional('location_type'),
    ];
    return (row, line) => {
      const stopId = cell(row, id);
      if (!stopId) throw h.problem(line, 'stop_id', 'empty stop_id');
      if (stopIds.find(stopId) !== undefined) throw h.problem(line, 'stop_id', `duplicate stop_id "${stopId}"`);
      const kind = cell(row, locationType) ? integer(h, row, locationType, 'location_type', line, [0, 1, 2, 3, 4]) : 0;
      const stopName = cell(row, name);
      if (!stopName && kind <= 2) throw h.problem(line, 'stop_name', 'stop_name is required for stops, stations and entrances');
      const index = stopIds.id(stopId);
      stopNames.push(stopName);
      stopCodes.push(cell(row, code));
      const parentId = cell(row, parent);
      if (parentId) parentIds.push({ stop: index, parent: parentId, line });
    };
  });
  const parent = new Int32Array(stopIds.size).fill(-1);
  for (const p of parentIds) {
    const index = stopIds.find(p.parent);
    if (index === undefined) throw new GtfsImportError({ file: 'stops.txt', line: p.line, field: 'parent_station', message: `unknown stop_id "${p.parent}"` });
    parent[p.stop] = index;
  }

  // calendar.txt and calendar_dates.txt
  progress('calendar.txt');
  const services = new Interner();
  const weekdays: number[] = [];
  const startDates: number[] = [];
  const endDates: number[] = [];
  const hasCalendar = await readTable(source, 'calendar.txt', (h) => {
    const id = h.required('service_id');
    const days = WEEKDAY_COLUMNS.map((c) => h.required(c));
    const [start, end] = [h.required('start_date'), h.required('end_date')];
    return (row, line) => {
      const serviceId = cell(row, id);
      if (services.find(serviceId) !== undefined) throw h.problem(line, 'service_id', `duplicate service_id "${serviceId}"`);
      let mask = 0;
      days.forEach((column, d) => (mask |= integer(h, row, column, WEEKDAY_COLUMNS[d]!, line, [0, 1]) << d));
      const from = date(h, row, start, 'start_date', line);
      const to = date(h, row, end, 'end_date', line);
      if (to < from) throw h.problem(line, 'end_date', 'end_date is before start_date');
      services.id(serviceId);
      weekdays.push(mask);
      startDates.push(from);
      endDates.push(to);
    };
  });
  progress('calendar_dates.txt');
  const exceptions: { date: number; service: number; type: number }[] = [];
  const hasCalendarDates = await readTable(source, 'calendar_dates.txt', (h) => {
    const [id, day, type] = [h.required('service_id'), h.required('date'), h.required('exception_type')];
    return (row, line) => {
      const serviceId = cell(row, id);
      if (!serviceId) throw h.problem(line, 'service_id', 'empty service_id');
      let service = services.find(serviceId);
      if (service === undefined) {
        service = services.id(serviceId);
        weekdays.push(0);
        startDates.push(0);
        endDates.push(0);
      }
      exceptions.push({ service, date: date(h, row, day, 'date', line), type: integer(h, row, type, 'exception_type', line, [1, 2]) });
    };
  });
  if (!hasCalendar && !hasCalendarDates)
    throw new GtfsImportError({ file: 'calendar.txt', message: 'the feed needs calendar.txt or calendar_dates.txt' });
  exceptions.sort((a, b) => a.date - b.date);

  // trips.txt
  progress('trips.txt');
  const tripIds = new Interner();
  const headsigns = new Interner();
  const tripRoute: number[] = [];
  const tripService: number[] = [];
  const tripDirection: number[] = [];
  const tripHeadsign: number[] = [];
  await required(source, 'trips.txt', (h) => {
    const [route, service, id, direction, headsign] = [
      h.required('route_id'),
      h.required('service_id'),
      h.required('trip_id'),
      h.optional('direction_id'),
      h.optional('trip_headsign'),
    ];
    return (row, line) => {
      const tripId = cell(row, id);
      if (!tripId) throw h.problem(line, 'trip_id', 'empty trip_id');
      if (tripIds.find(tripId) !== undefined) throw h.problem(line, 'trip_id', `duplicate trip_id "${tripId}"`);
      const routeIndex = routeIds.find(cell(row, route));
      if (routeIndex === undefined) throw h.problem(line, 'route_id', `unknown route_id "${cell(row, route)}"`);
      const serviceIndex = services.find(cell(row, service));
      if (serviceIndex === undefined) throw h.problem(line, 'service_id', `service_id "${cell(row, service)}" is in neither calendar.txt nor calendar_dates.txt`);
      tripIds.id(tripId);
      tripRoute.push(routeIndex);
      tripService.push(serviceIndex);
      tripDirection.push(cell(row, direction) ? integer(h, row, direction, 'direction_id', line, [0, 1]) : -1);
      const sign = cell(row, headsign);
      tripHeadsign.push(sign ? headsigns.id(sign) : -1);
    };
  });
  const tripCount = tripIds.size;

  // frequencies.txt
  progress('frequencies.txt');
  const frequencyRows: { trip: number; start: number; end: number; headway: number; exact: number }[] = [];
  await readTable(source, 'frequencies.txt', (h) => {
    const [trip, start, end, headway, exact] = [
      h.required('trip_id'),
      h.required('start_time'),
      h.required('end_time'),
      h.required('headway_secs'),
      h.optional('exact_times'),
    ];
    const time = (row: string[], column: number, field: string, line: number) => {
      const t = parseGtfsTime(cell(row, column));
      if (t === undefined || t === NO_TIME) throw h.problem(line, field, `expected a time HH:MM:SS, got "${cell(row, column)}"`);
      return t;
    };
    return (row, line) => {
      const tripIndex = tripIds.find(cell(row, trip));
      if (tripIndex === undefined) throw h.problem(line, 'trip_id', `unknown trip_id "${cell(row, trip)}"`);
      const from = time(row, start, 'start_time', line);
      const to = time(row, end, 'end_time', line);
      if (to <= from) throw h.problem(line, 'end_time', 'end_time must be after start_time');
      const secs = integer(h, row, headway, 'headway_secs', line);
      if (secs <= 0) throw h.problem(line, 'headway_secs', 'headway_secs must be positive');
      frequencyRows.push({ trip: tripIndex, start: from, end: to, headway: secs, exact: cell(row, exact) ? integer(h, row, exact, 'exact_times', line, [0, 1]) : 0 });
    };
  });
  frequencyRows.sort((a, b) => a.trip - b.trip || a.start - b.start);
  const frequencyStart = new Uint32Array(tripCount + 1);
  for (const f of frequencyRows) frequencyStart[f.trip + 1]!++;
  for (let t = 0; t < tripCount; t++) frequencyStart[t + 1]! += frequencyStart[t]!;

  // stop_times.txt: the big one (millions of rows); no allocation per row beyond the parser's.
  progress('stop_times.txt');
  const table = new StopTimeTable();
  const firstLineOfTrip = new Int32Array(tripCount);
  await required(source, 'stop_times.txt', (h) => {
    const [trip, stop, sequence, arrival, departure] = [
      h.required('trip_id'),
      h.required('stop_id'),
      h.required('stop_sequence'),
      h.optional('arrival_time'),
      h.optional('departure_time'),
    ];
    if (arrival < 0 && departure < 0) h.required('departure_time');
    let lastTripId = '';
    let lastTrip = -1;
    return (row, line) => {
      const tripId = row[trip] ?? '';
      if (tripId !== lastTripId) {
        const found = tripIds.find(tripId.trim());
        if (found === undefined) throw h.problem(line, 'trip_id', `unknown trip_id "${tripId}"`);
        lastTripId = tripId;
        lastTrip = found;
        if (firstLineOfTrip[found] === 0) firstLineOfTrip[found] = line;
      }
      const stopIndex = stopIds.find((row[stop] ?? '').trim());
      if (stopIndex === undefined) throw h.problem(line, 'stop_id', `unknown stop_id "${row[stop]}"`);
      const seq = Number(row[sequence]);
      if (!Number.isInteger(seq) || seq < 0) throw h.problem(line, 'stop_sequence', `expected a non-negative integer, got "${row[sequence]}"`);
      let time = parseGtfsTime(cell(row, departure));
      if (time === undefined) throw h.problem(line, 'departure_time', `expected a time HH:MM:SS, got "${cell(row, departure)}"`);
      if (time === NO_TIME) {
        time = parseGtfsTime(cell(row, arrival));
        if (time === undefined) throw h.problem(line, 'arrival_time', `expected a time HH:MM:SS, got "${cell(row, arrival)}"`);
      }
      table.add(lastTrip, seq, stopIndex, time);
    };
  });
  progress('indexing');
  const stopTimeCount = table.size;
  const laid = table.finish(tripIds.values, firstLineOfTrip);

  // translations.txt: stop names only (what residents type and read).
  progress('translations.txt');
  const languages = new Interner();
  const translations: { stop: number; language: number; text: string }[] = [];
  const routeTranslations: { route: number; text: string }[] = [];
  await readTable(source, 'translations.txt', (h) => {
    if (h.optional('table_name') < 0) return () => undefined; // the retired Google extension format
    const [tableName, field, language, translation, record, value] = [
      h.required('table_name'),
      h.required('field_name'),
      h.required('language'),
      h.required('translation'),
      h.optional('record_id'),
      h.optional('field_value'),
    ];
    let byName: Map<string, number[]> | undefined;
    return (row, line) => {
      if (cell(row, tableName) === 'routes' && ['route_long_name', 'route_short_name'].includes(cell(row, field))) {
        const route = routeIds.find(cell(row, record));
        if (route !== undefined && cell(row, translation)) routeTranslations.push({ route, text: cell(row, translation) });
        return;
      }
      if (cell(row, tableName) !== 'stops' || cell(row, field) !== 'stop_name') return;
      const text = cell(row, translation);
      const lang = languages.id(cell(row, language).toLowerCase());
      if (!text) return;
      const recordId = cell(row, record);
      if (recordId) {
        const stop = stopIds.find(recordId);
        if (stop === undefined) throw h.problem(line, 'record_id', `unknown stop_id "${recordId}"`);
        translations.push({ stop, language: lang, text });
      } else {
        if (!byName) {
          byName = new Map();
          stopNames.forEach((n, i) => {
            const list = byName!.get(n);
            if (list) list.push(i);
            else byName!.set(n, [i]);
          });
        }
        for (const stop of byName.get(cell(row, value)) ?? []) translations.push({ stop, language: lang, text });
      }
    };
  });

  // Trips per route, and routes calling at each stop.
  const routeCount = routeIds.size;
  const routeTripStart = new Uint32Array(routeCount + 1);
  for (const r of tripRoute) routeTripStart[r + 1]!++;
  for (let r = 0; r < routeCount; r++) routeTripStart[r + 1]! += routeTripStart[r]!;
  const fill = routeTripStart.slice(0, routeCount);
  const routeTrips = new Uint32Array(tripCount);
  tripRoute.forEach((r, t) => (routeTrips[fill[r]!++] = t));

  const stopCount = stopIds.size;
  const seenOnRoute = new Int32Array(stopCount).fill(-1);
  const stopRoutePairs: number[] = [];
  for (let r = 0; r < routeCount; r++)
    for (let i = routeTripStart[r]!; i < routeTripStart[r + 1]!; i++) {
      const t = routeTrips[i]!;
      for (let k = laid.start[t]!; k < laid.start[t + 1]!; k++) {
        const s = laid.stop[k]!;
        if (seenOnRoute[s] !== r) {
          seenOnRoute[s] = r;
          stopRoutePairs.push(s, r);
        }
      }
    }
  const routeStart = new Uint32Array(stopCount + 1);
  for (let i = 0; i < stopRoutePairs.length; i += 2) routeStart[stopRoutePairs[i]! + 1]!++;
  for (let s = 0; s < stopCount; s++) routeStart[s + 1]! += routeStart[s]!;
  const stopFill = routeStart.slice(0, stopCount);
  const stopRoutes = new Uint32Array(stopRoutePairs.length / 2);
  for (let i = 0; i < stopRoutePairs.length; i += 2) stopRoutes[stopFill[stopRoutePairs[i]!]!++] = stopRoutePairs[i + 1]!;

  const feed: FeedInfo = {
    name: feedInfo.name || agencyNames[0] || feedFile,
    ...(feedInfo.version && { version: feedInfo.version }),
    ...(feedInfo.startDate && { startDate: feedInfo.startDate }),
    ...(feedInfo.endDate && { endDate: feedInfo.endDate }),
    fileDate: source.modified.toISOString().slice(0, 10),
    timezone: timezone ?? DEFAULT_TIMEZONE,
  };

  return {
    feed,
    agencyNames,
    routes: {
      ids: encodeStrings(routeIds.values),
      shortNames: encodeStrings(shortNames),
      longNames: encodeStrings(longNames),
      types: Int32Array.from(routeTypes),
      agency: Int32Array.from(routeAgency),
      tripStart: routeTripStart,
      trips: routeTrips,
    },
    stops: {
      ids: encodeStrings(stopIds.values),
      names: encodeStrings(stopNames),
      codes: encodeStrings(stopCodes),
      parent,
      routeStart,
      routes: stopRoutes,
    },
    routeTranslations: {
      route: Uint32Array.from(routeTranslations.map((t) => t.route)),
      text: encodeStrings(routeTranslations.map((t) => t.text)),
    },
    stopTranslations: {
      stop: Uint32Array.from(translations.map((t) => t.stop)),
      languages: languages.values,
      language: Uint8Array.from(translations.map((t) => t.language)),
      text: encodeStrings(translations.map((t) => t.text)),
    },
    headsigns: encodeStrings(headsigns.values),
    trips: {
      route: Uint32Array.from(tripRoute),
      service: Uint32Array.from(tripService),
      direction: Int8Array.from(tripDirection),
      headsign: Int32Array.from(tripHeadsign),
      stopTimeStart: laid.start,
      frequencyStart,
    },
    stopTimes: { stop: laid.stop, time: laid.time },
    frequencies: {
      start: Int32Array.from(frequencyRows.map((f) => f.start)),
      end: Int32Array.from(frequencyRows.map((f) => f.end)),
      headway: Int32Array.from(frequencyRows.map((f) => f.headway)),
      exact: Uint8Array.from(frequencyRows.map((f) => f.exact)),
    },
    services: {
      ids: services.values,
      weekdays: Uint8Array.from(weekdays),
      startDate: Int32Array.from(startDates),
      endDate: Int32Array.from(endDates),
    },
    exceptions: {
      date: Int32Array.from(exceptions.map((e) => e.date)),
      service: Uint32Array.from(exceptions.map((e) => e.service)),
      type: Uint8Array.from(exceptions.map((e) => e.type)),
    },
    stopNames: buildStopNameIndex(stopNames, translations),
    stats: {
      agencies: agencyNames.length,
      routes: routeCount,
      stops: stopCount,
      trips: tripCount,
      stopTimes: stopTimeCount,
      frequencies: frequencyRows.length,
      translations: translations.length,
      importMs: Date.now() - started,
    },
  };
}
