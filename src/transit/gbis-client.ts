/**
 * Client of the Gyeonggi bus information open API (data.go.kr 6410000: busstationservice/v2,
 * busrouteservice/v2, busarrivalservice/v2, JSON format). Every call has a timeout; answers are
 * cached briefly in a bounded LRU (lru-cache); HTTP 429 or the API's "request limit exceeded" pauses calls
 * until the limit has passed. Failures are typed so callers can fall back to the timetable.
 */
import { LRUCache } from 'lru-cache';

export type GbisErrorCode = 'timeout' | 'network' | 'http' | 'rate_limited' | 'api' | 'bad_response';

export class GbisError extends Error {
  constructor(
    readonly code: GbisErrorCode,
    message: string,
    readonly details: { status?: number; resultCode?: number } = {},
  ) {
    super(message);
    this.name = 'GbisError';
  }

  get retryable(): boolean {
    return this.code !== 'api' && this.code !== 'bad_response';
  }
}

export interface GbisStation {
  stationId: string;
  stationName: string;
  /** The five-digit number on the stop sign (정류소번호). */
  mobileNo: string;
  regionName: string;
}

export interface GbisRoute {
  routeId: string;
  routeName: string;
  routeTypeCd: number;
  regionName: string;
  startStationName?: string;
  endStationName?: string;
}

export interface GbisArrival {
  routeId: string;
  routeName: string;
  /** Where the bus is heading (routeDestName). */
  routeDestName: string;
  staOrder: number;
  /** Minutes until the first and second bus; undefined when none is running. */
  predictTime1?: number;
  predictTime2?: number;
  /** Stops away of the first and second bus. */
  locationNo1?: number;
  locationNo2?: number;
  /** RUN/PASS running, STOP ended, WAIT waiting at the turnaround. */
  flag: string;
}

export interface GbisClientOptions {
  /** e.g. https://apis.data.go.kr/6410000 */
  baseUrl: string;
  serviceKey: string;
  timeoutMs?: number;
  /** Arrivals change by the minute: they are kept this long. */
  arrivalTtlMs?: number;
  /** Stations and routes change rarely. */
  lookupTtlMs?: number;
  cacheMax?: number;
  /** Pause after a rate limit without Retry-After. */
  rateLimitPauseMs?: number;
  now?: () => number;
}

/** resultCode values of the API (from its documentation). */
const RESULT = { ok: 0, noResult: 4, limitExceeded: 8 } as const;

type Json = Record<string, unknown>;

export class GbisClient {
  private readonly cache: LRUCache<string, { value: unknown[]; expires: number }>;
  private pausedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: GbisClientOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new LRUCache({ max: options.cacheMax ?? 500 });
  }

  /** Stations whose name contains the keyword. */
  async stations(keyword: string): Promise<GbisStation[]> {
    const items = await this.call('busstationservice/v2/getBusStationListv2', { keyword }, 'busStationList', this.options.lookupTtlMs ?? 600_000);
    return items.map((i) => ({
      stationId: str(i.stationId),
      stationName: str(i.stationName),
      mobileNo: str(i.mobileNo).trim(),
      regionName: str(i.regionName),
    }));
  }

  /** Routes whose number contains the keyword. */
  async routes(keyword: string): Promise<GbisRoute[]> {
    const items = await this.call('busrouteservice/v2/getBusRouteListv2', { keyword }, 'busRouteList', this.options.lookupTtlMs ?? 600_000);
    return items.map((i) => ({
      routeId: str(i.routeId),
      routeName: str(i.routeName),
      routeTypeCd: Number(i.routeTypeCd) || 0,
      regionName: str(i.regionName),
      ...(i.startStationName !== undefined && { startStationName: str(i.startStationName) }),
      ...(i.endStationName !== undefined && { endStationName: str(i.endStationName) }),
    }));
  }

  /** Buses on their way to a station, per route. */
  async arrivals(stationId: string): Promise<GbisArrival[]> {
    const items = await this.call('busarrivalservice/v2/getBusArrivalListv2', { stationId }, 'busArrivalList', this.options.arrivalTtlMs ?? 15_000);
    return items.map((i) => ({
      routeId: str(i.routeId),
      routeName: str(i.routeName),
      routeDestName: str(i.routeDestName),
      staOrder: Number(i.staOrder) || 0,
      flag: str(i.flag),
      ...optionalNumber('predictTime1', i.predictTime1),
      ...optionalNumber('predictTime2', i.predictTime2),
      ...optionalNumber('locationNo1', i.locationNo1),
      ...optionalNumber('locationNo2', i.locationNo2),
    }));
  }

  private async call(path: string, params: Record<string, string>, listName: string, ttlMs: number): Promise<Json[]> {
    const cacheKey = `${path}?${new URLSearchParams(params)}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires > this.now()) return cached.value as Json[];
    if (this.now() < this.pausedUntil) throw new GbisError('rate_limited', 'GBIS rate limit: calls paused');

    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${path}`);
    for (const [k, v] of Object.entries({ serviceKey: this.options.serviceKey, ...params, format: 'json' })) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 2500), headers: { accept: 'application/json' } });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new GbisError('timeout', `GBIS ${path} timed out`);
      throw new GbisError('network', `GBIS ${path}: ${(err as Error).message}`);
    }
    const body = await res.text().catch(() => '');
    if (res.status === 429 || /LIMITED_NUMBER_OF_SERVICE_REQUESTS/.test(body)) {
      this.pause(res.headers.get('retry-after'));
      throw new GbisError('rate_limited', `GBIS ${path}: rate limited`, { status: res.status });
    }
    if (!res.ok) throw new GbisError('http', `GBIS ${path}: HTTP ${res.status}`, { status: res.status });
    let json: Json;
    try {
      json = JSON.parse(body) as Json;
    } catch {
      throw new GbisError('bad_response', `GBIS ${path}: not JSON (${body.slice(0, 80)})`);
    }
    const response = (json.response ?? json) as Json;
    const header = response.msgHeader as Json | undefined;
    const resultCode = Number(header?.resultCode);
    if (!header || Number.isNaN(resultCode)) throw new GbisError('bad_response', `GBIS ${path}: no msgHeader.resultCode`);
    let items: Json[];
    if (resultCode === RESULT.noResult) items = [];
    else if (resultCode === RESULT.limitExceeded) {
      this.pause(null);
      throw new GbisError('rate_limited', `GBIS ${path}: ${str(header.resultMessage)}`, { resultCode });
    } else if (resultCode !== RESULT.ok)
      throw new GbisError('api', `GBIS ${path}: resultCode ${resultCode} ${str(header.resultMessage)}`, { resultCode });
    else {
      // One item comes as an object, several as an array.
      const list = (response.msgBody as Json | undefined)?.[listName];
      items = list === undefined || list === null || list === '' ? [] : Array.isArray(list) ? (list as Json[]) : [list as Json];
    }
    // The LRU bounds the entries; expiry is checked against the injectable clock.
    this.cache.set(cacheKey, { value: items, expires: this.now() + ttlMs });
    return items;
  }

  private pause(retryAfter: string | null): void {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) * 1000 : (this.options.rateLimitPauseMs ?? 60_000);
    this.pausedUntil = this.now() + ms;
  }
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function optionalNumber<K extends string>(key: K, v: unknown): Partial<Record<K, number>> {
  if (v === '' || v === undefined || v === null) return {};
  const n = Number(v);
  return Number.isFinite(n) ? ({ [key]: n } as Record<K, number>) : {};
}
