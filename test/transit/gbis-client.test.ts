/** The GBIS client against the fake server over real HTTP: success, timeout, error codes, 429. */
import { GbisClient, GbisError } from '../../src/transit/gbis-client';
import { GbisLiveArrivals } from '../../src/transit/gbis-live-arrivals';
import { FakeGbisServer } from '../support/fake-gbis-server';
import { silentLogger } from '../support/service';

describe('GBIS client', () => {
  let fake: FakeGbisServer;
  let clock: number;
  const client = (options: Partial<ConstructorParameters<typeof GbisClient>[0]> = {}) =>
    new GbisClient({ baseUrl: fake.baseUrl, serviceKey: fake.serviceKey, now: () => clock, ...options });

  beforeEach(async () => {
    clock = 1_000_000;
    fake = await new FakeGbisServer().start();
    fake.stations = [
      { stationId: 200000177, stationName: '경기도청', mobileNo: '01002', regionName: '수원' },
      { stationId: 200000178, stationName: '경기도청', mobileNo: '01009', regionName: '수원' },
    ];
    fake.arrivals.set(200000177, [
      { routeId: 200000037, routeName: '7-2', routeDestName: '광교중앙역', staOrder: 19, predictTime1: 4, predictTime2: 17, locationNo1: 2, locationNo2: 8, flag: 'PASS' },
    ]);
    fake.arrivals.set(200000178, [
      { routeId: 208000017, routeName: 51, routeDestName: '수원역', staOrder: 3, predictTime1: '', predictTime2: '', locationNo1: '', locationNo2: '', flag: 'WAIT' },
      { routeId: 200000037, routeName: '7-2', routeDestName: '수원역', staOrder: 7, predictTime1: 9, predictTime2: '', locationNo1: 5, locationNo2: '', flag: 'PASS' },
    ]);
  });
  afterEach(() => fake.stop());

  it('reads stations and arrivals, one item given as an object and numbers as numbers', async () => {
    const c = client();
    expect((await c.stations('경기도청')).map((s) => s.mobileNo)).toEqual(['01002', '01009']);
    const single = await c.arrivals('200000177');
    expect(single).toEqual([
      expect.objectContaining({ routeName: '7-2', routeDestName: '광교중앙역', predictTime1: 4, predictTime2: 17, locationNo1: 2 }),
    ]);
    const idle = (await c.arrivals('200000178')).find((a) => a.routeName === '51');
    expect(idle).toMatchObject({ routeName: '51', flag: 'WAIT' });
    expect(idle?.predictTime1).toBeUndefined();
    expect(fake.requests[0]?.params).toMatchObject({ serviceKey: fake.serviceKey, keyword: '경기도청', format: 'json' });
  });

  it('treats "no result" (resultCode 4) as an empty list, and caches answers briefly', async () => {
    const c = client({ arrivalTtlMs: 15_000 });
    expect(await c.stations('없는정류장')).toEqual([]);
    await c.arrivals('200000177');
    await c.arrivals('200000177');
    expect(fake.requests.filter((r) => r.path.endsWith('getBusArrivalListv2'))).toHaveLength(1);
    clock += 16_000;
    await c.arrivals('200000177');
    expect(fake.requests.filter((r) => r.path.endsWith('getBusArrivalListv2'))).toHaveLength(2);
  });

  it('gives up after its timeout', async () => {
    fake.delayMs = 1500;
    await expect(client({ timeoutMs: 200 }).arrivals('200000177')).rejects.toMatchObject({ code: 'timeout' });
  });

  it('reports API error codes and an unknown key', async () => {
    fake.forceResultCode = 1;
    await expect(client().arrivals('200000177')).rejects.toMatchObject({ code: 'api', details: { resultCode: 1 } });
    fake.forceResultCode = undefined;
    const wrongKey = new GbisClient({ baseUrl: fake.baseUrl, serviceKey: 'not-registered' });
    await expect(wrongKey.stations('경기도청')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('pauses after HTTP 429 until Retry-After has passed, without calling the API meanwhile', async () => {
    fake.rateLimitRetryAfter = 30;
    const c = client();
    await expect(c.arrivals('200000177')).rejects.toMatchObject({ code: 'rate_limited', details: { status: 429 } });
    fake.rateLimitRetryAfter = undefined;
    const calls = fake.requests.length;
    await expect(c.arrivals('200000177')).rejects.toBeInstanceOf(GbisError);
    expect(fake.requests).toHaveLength(calls);
    clock += 31_000;
    expect(await c.arrivals('200000177')).toHaveLength(1);
  });

  it('treats resultCode 8 (request limit exceeded) as a rate limit', async () => {
    fake.forceResultCode = 8;
    await expect(client().stations('경기도청')).rejects.toMatchObject({ code: 'rate_limited', details: { resultCode: 8 } });
  });

  it('finds the stop by the number on its sign and lists the route\'s buses, soonest first', async () => {
    const live = new GbisLiveArrivals(client(), silentLogger());
    expect(await live.arrivals({ label: '7-2번 버스', routeNumber: '7-2', stopName: '경기도청', stopCode: '01002' })).toEqual({
      arrivals: [
        { towards: '광교중앙역', minutes: 4, stopsAway: 2 },
        { towards: '광교중앙역', minutes: 17, stopsAway: 8 },
      ],
    });
    // Without a stop number both stops of that name are asked.
    const both = await live.arrivals({ label: '7-2번 버스', routeNumber: '7-2', stopName: '경기도청', stopCode: '' });
    expect('arrivals' in both && both.arrivals.map((a) => a.minutes)).toEqual([4, 9, 17]);
    fake.delayMs = 1500;
    const slow = new GbisLiveArrivals(client({ timeoutMs: 100, lookupTtlMs: 0 }), silentLogger());
    expect(await slow.arrivals({ label: '7-2번 버스', routeNumber: '7-2', stopName: '경기도청', stopCode: '01002' })).toMatchObject({ unavailable: true });
  });
});
