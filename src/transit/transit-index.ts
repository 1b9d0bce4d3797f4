/**
 * The compact, thread-transferable timetable index built from a GTFS feed: typed arrays and string
 * tables only (plus a few small arrays), so a worker can build it and hand it over without copying.
 */
import type { StringTableData } from './string-table';

/** Where the answers come from, as residents are told. */
export interface FeedInfo {
  /** feed_publisher_name, else the first agency's name, else the file name. */
  name: string;
  /** feed_version when given. */
  version?: string;
  /** feed_start_date / feed_end_date (YYYYMMDD) when given. */
  startDate?: number;
  endDate?: number;
  /** The feed file's modification date (ISO), used when there is no version. */
  fileDate: string;
  /** agency_timezone of the agencies (Asia/Seoul when absent). */
  timezone: string;
}

export interface ImportStats {
  agencies: number;
  routes: number;
  stops: number;
  trips: number;
  stopTimes: number;
  frequencies: number;
  translations: number;
  importMs: number;
}

export interface TransitIndexData {
  feed: FeedInfo;
  agencyNames: string[];
  routes: {
    ids: StringTableData;
    shortNames: StringTableData;
    longNames: StringTableData;
    /** GTFS route_type (3 bus, 1 subway, 2 rail, 12 monorail...). */
    types: Int32Array;
    agency: Int32Array;
    /** CSR: trips of route r are tripIds[tripStart[r]..tripStart[r+1]). */
    tripStart: Uint32Array;
    trips: Uint32Array;
  };
  stops: {
    ids: StringTableData;
    names: StringTableData;
    codes: StringTableData;
    /** Parent station index, -1 when none. */
    parent: Int32Array;
    /** CSR: routes calling at stop s are routes[routeStart[s]..routeStart[s+1]). */
    routeStart: Uint32Array;
    routes: Uint32Array;
  };
  /** route_short_name / route_long_name translations (rail lines are asked for by name). */
  routeTranslations: { route: Uint32Array; text: StringTableData };
  /** stop_name translations: stop, language, text. */
  stopTranslations: { stop: Uint32Array; languages: string[]; language: Uint8Array; text: StringTableData };
  headsigns: StringTableData;
  trips: {
    route: Uint32Array;
    service: Uint32Array;
    /** direction_id 0/1, -1 when not given. */
    direction: Int8Array;
    /** Index into headsigns, -1 when none. */
    headsign: Int32Array;
    /** CSR into stopTimes, ordered by stop_sequence. */
    stopTimeStart: Uint32Array;
    /** CSR into frequencies (empty range for scheduled trips). */
    frequencyStart: Uint32Array;
  };
  stopTimes: {
    stop: Uint32Array;
    /** Departure (else arrival) seconds from the service day's start; interpolated where empty. */
    time: Int32Array;
  };
  frequencies: { start: Int32Array; end: Int32Array; headway: Int32Array; exact: Uint8Array };
  services: {
    ids: string[];
    /** Bit d (0 = Monday) set when calendar.txt runs the service on that weekday. */
    weekdays: Uint8Array;
    /** calendar.txt date range (YYYYMMDD); 0 when the service is only in calendar_dates. */
    startDate: Int32Array;
    endDate: Int32Array;
  };
  /** calendar_dates.txt, sorted by date: type 1 adds the service that day, 2 removes it. */
  exceptions: { date: Int32Array; service: Uint32Array; type: Uint8Array };
  /** Stop-name search: normalized keys, the stops under each, and a bigram index over the keys. */
  stopNames: StopNameIndexData;
  stats: ImportStats;
}

export interface StopNameIndexData {
  keys: StringTableData;
  /** CSR: stops with key k are keyStops[keyStart[k]..keyStart[k+1]). */
  keyStart: Uint32Array;
  keyStops: Uint32Array;
  /** Number of distinct bigrams of each key. */
  keyGrams: Uint16Array;
  /** Sorted distinct bigram codes and, per gram, the keys containing it (CSR). */
  grams: Uint32Array;
  gramStart: Uint32Array;
  gramKeys: Uint32Array;
}

/** Every ArrayBuffer inside an index, for postMessage's transfer list. */
export function transferablesOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) transferablesOf(v, found);
  }
  return [...found];
}
