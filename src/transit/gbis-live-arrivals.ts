/**
 * Live arrivals for a next-departures answer from GBIS: find the stop by name (its number on the
 * sign, from the feed's stop_code, picks the right side of the road), then the route's buses on
 * their way. Any failure becomes "unavailable" so the answer falls back to the timetable.
 */
import type { Logger } from '../core/logger-port';
import type { GbisClient, GbisStation } from './gbis-client';
import { normalizeRouteNumber } from './route-names';
import { normalizeStopName } from './stop-name-normalize';
import type { LiveRequest } from './transit-dialogue';

export type LiveOutcome = { arrivals: { towards: string; minutes: number; stopsAway?: number }[] } | { unavailable: true; reason: string };

/** Stations queried at most per answer (both sides of a road share a name). */
const MAX_STATIONS = 2;

export class GbisLiveArrivals {
  constructor(
    private readonly client: GbisClient,
    private readonly logger: Logger,
  ) {}

  async arrivals(request: LiveRequest): Promise<LiveOutcome> {
    try {
      const stations = this.pickStations(await this.client.stations(request.stopName), request);
      if (stations.length === 0) return { unavailable: true, reason: 'stop not found in GBIS' };
      const wanted = normalizeRouteNumber(request.routeNumber);
      const arrivals: { towards: string; minutes: number; stopsAway?: number }[] = [];
      for (const station of stations) {
        for (const a of await this.client.arrivals(station.stationId)) {
          if (normalizeRouteNumber(a.routeName) !== wanted) continue;
          if (a.predictTime1 !== undefined) arrivals.push({ towards: a.routeDestName, minutes: a.predictTime1, ...(a.locationNo1 !== undefined && { stopsAway: a.locationNo1 }) });
          if (a.predictTime2 !== undefined) arrivals.push({ towards: a.routeDestName, minutes: a.predictTime2, ...(a.locationNo2 !== undefined && { stopsAway: a.locationNo2 }) });
        }
      }
      return { arrivals: arrivals.sort((x, y) => x.minutes - y.minutes).slice(0, 4) };
    } catch (err) {
      this.logger.warn({ err, route: request.routeNumber }, 'transit: live arrivals unavailable, answering from the timetable');
      return { unavailable: true, reason: (err as Error).message };
    }
  }

  private pickStations(stations: GbisStation[], request: LiveRequest): GbisStation[] {
    const byCode = request.stopCode ? stations.filter((s) => s.mobileNo === request.stopCode) : [];
    if (byCode.length) return byCode.slice(0, MAX_STATIONS);
    const name = normalizeStopName(request.stopName);
    return stations.filter((s) => normalizeStopName(s.stationName) === name).slice(0, MAX_STATIONS);
  }
}
