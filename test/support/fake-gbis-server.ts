/**
 * A local stand-in for the Gyeonggi bus information open API (data.go.kr 6410000, v2, JSON),
 * built from its public documentation: getBusStationListv2 (keyword), getBusRouteListv2 (keyword)
 * and getBusArrivalListv2 (stationId) under {base}/busstationservice/v2, /busrouteservice/v2 and
 * /busarrivalservice/v2; every answer is {"response":{"comMsgHeader","msgHeader":{queryTime,
 * resultCode,resultMessage},"msgBody":{<list>}}} with resultCode 0 ok, 2 missing parameter,
 * 4 no result, 8 request limit exceeded; a single item comes as an object, not an array, and
 * numbers come as numbers (even routeName 51). The portal's gateway answers an unknown key with
 * an XML error. Test switches: a delay, a forced resultCode, HTTP 429, and a request log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStation {
  stationId: number;
  stationName: string;
  mobileNo: string | number;
  regionName: string;
}

export interface FakeArrival {
  routeId: number;
  routeName: string | number;
  routeDestName: string;
  staOrder: number;
  predictTime1: number | '';
  predictTime2: number | '';
  locationNo1: number | '';
  locationNo2: number | '';
  flag: 'RUN' | 'PASS' | 'STOP' | 'WAIT';
}

export interface FakeRoute {
  routeId: number;
  routeName: string | number;
  routeTypeCd: number;
  regionName: string;
}

const MESSAGES: Record<number, string> = {
  0: '정상적으로 처리되었습니다.',
  1: '시스템 에러가 발생하였습니다.',
  2: '필수 요청 Parameter가 존재하지 않습니다.',
  4: '결과가 존재하지 않습니다.',
  8: '요청 제한을 초과하였습니다.',
};

export class FakeGbisServer {
  readonly serviceKey = 'fake-gbis-key';
  stations: FakeStation[] = [];
  routes: FakeRoute[] = [];
  arrivals = new Map<number, FakeArrival[]>();
  /** Delay before answering (to trip client timeouts). */
  delayMs = 0;
  /** Forces this resultCode on every answer. */
  forceResultCode?: number;
  /** Answers 429 with this Retry-After (seconds) while set. */
  rateLimitRetryAfter?: number;
  readonly requests: { path: string; params: Record<string, string> }[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  baseUrl = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/6410000`;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, params });
    if (this.delayMs)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, this.delayMs);
        this.timers.add(timer);
      });
    if (res.destroyed) return;
    if (this.rateLimitRetryAfter !== undefined) {
      res.writeHead(429, { 'retry-after': String(this.rateLimitRetryAfter), 'content-type': 'text/plain' });
      res.end('API rate limit exceeded');
      return;
    }
    if (params.serviceKey !== this.serviceKey) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg><returnReasonCode>30</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>',
      );
      return;
    }
    const route = url.pathname.replace(/^\/6410000\//, '');
    if (route === 'busstationservice/v2/getBusStationListv2') {
      if (!params.keyword) return this.reply(res, 2);
      return this.reply(res, 0, 'busStationList', this.stations.filter((s) => s.stationName.includes(params.keyword!)));
    }
    if (route === 'busrouteservice/v2/getBusRouteListv2') {
      if (!params.keyword) return this.reply(res, 2);
      return this.reply(res, 0, 'busRouteList', this.routes.filter((r) => String(r.routeName).includes(params.keyword!)));
    }
    if (route === 'busarrivalservice/v2/getBusArrivalListv2') {
      if (!params.stationId) return this.reply(res, 2);
      return this.reply(res, 0, 'busArrivalList', this.arrivals.get(Number(params.stationId)) ?? []);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Unexpected errors');
  }

  private reply(res: http.ServerResponse, code: number, listName?: string, items: object[] = []): void {
    const resultCode = this.forceResultCode ?? (code === 0 && items.length === 0 ? 4 : code);
    const body = {
      response: {
        comMsgHeader: '',
        msgHeader: { queryTime: '2026-11-30 10:00:00.000', resultCode, resultMessage: MESSAGES[resultCode] ?? '오류' },
        ...(resultCode === 0 && listName && { msgBody: { [listName]: items.length === 1 ? items[0] : items } }),
      },
    };
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  }
}
