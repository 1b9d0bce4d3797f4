/**
 * Transit conversations through the resident app API, with TRANSIT_GTFS on the fixture feed and
 * "today" fixed by the service's injectable clock: each question type in Korean and English,
 * missing slots asked for and answered by buttons or text, a route number naming two routes,
 * follow-ups, live arrivals from the fake GBIS server and the timetable fallback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Service } from '../../src/main';
import { payloadsOf, Resident, textOf } from '../knowledge/kb-test-kit';
import { FakeGbisServer } from '../support/fake-gbis-server';
import { MINI_FEED, MONDAY_10AM, startTransitService } from './transit-test-kit';

jest.setTimeout(180_000);

describe('transit conversations (fixture feed)', () => {
  let service: Service;
  let gbis: FakeGbisServer;
  let now = MONDAY_10AM;

  beforeAll(async () => {
    gbis = await new FakeGbisServer().start();
    gbis.stations = [{ stationId: 200000177, stationName: '경기도청', mobileNo: '01002', regionName: '수원' }];
    gbis.arrivals.set(200000177, [
      { routeId: 200000037, routeName: '7-2', routeDestName: '광교중앙역', staOrder: 2, predictTime1: 4, predictTime2: 19, locationNo1: 2, locationNo2: 9, flag: 'PASS' },
      { routeId: 200000099, routeName: 72, routeDestName: '영통', staOrder: 5, predictTime1: 1, predictTime2: '', locationNo1: 1, locationNo2: '', flag: 'PASS' },
    ]);
    service = await startTransitService(
      { TRANSIT_GTFS: MINI_FEED, GBIS_API_BASE: gbis.baseUrl, GBIS_SERVICE_KEY: gbis.serviceKey },
      () => now,
    );
  });
  afterAll(async () => {
    await service?.close();
    await gbis?.stop();
  });
  beforeEach(() => {
    now = MONDAY_10AM;
    gbis.rateLimitRetryAfter = undefined;
  });

  it('acceptance: "7-2번 버스 첫차가 몇 시예요?" gets the first departures of today\'s service day, with day type and source', async () => {
    const resident = await new Resident(service).start();
    const answer = textOf(await resident.say('7-2번 버스 첫차가 몇 시예요?'));
    expect(answer).toContain('7-2번 버스 첫차');
    expect(answer).toContain('광교중앙역 방면: 05:30 (수원역 출발)');
    expect(answer).toContain('수원역 방면: 05:50 (광교중앙역 출발)');
    expect(answer).toContain('11월 30일(월) 평일 운행표');
    expect(answer).toContain('다정 테스트 교통정보 2026-11-01 버전');
    const conversation = await service.store.conversations.get(resident.conversationId);
    expect(conversation?.lastIntent).toBe('transport_schedule');
  });

  it('uses the holiday timetable on Christmas (a weekday replaced by the Sunday service)', async () => {
    now = new Date('2026-12-25T10:00:00+09:00');
    const answer = textOf(await new Resident(service).start().then((r) => r.say('7-2번 첫차 몇 시에 있어요?')));
    expect(answer).toContain('광교중앙역 방면: 06:30');
    expect(answer).toContain('12월 25일(금) 공휴일·특별 운행표 (운행 구분: SU)');
  });

  it('English: first and last departures, after-midnight times said so', async () => {
    const resident = await new Resident(service).start('en-US');
    const first = textOf(await resident.say('When does the first 7-2 bus leave?'));
    expect(first).toContain('towards 광교중앙역: 05:30 (from Suwon Station)');
    expect(first).toContain('Based on the weekday timetable for Mon 30 Nov');
    const last = textOf(await resident.say('When is the last 7-2 bus?'));
    expect(last).toContain('towards 광교중앙역: 00:20 (after midnight)');
  });

  it('asks which route when it is missing, then answers the typed number (7-2, not 72)', async () => {
    const resident = await new Resident(service).start();
    expect(textOf(await resident.say('막차 몇 시예요?'))).toContain('어느 노선인지 알려 주세요');
    const answer = textOf(await resident.say('7-2'));
    expect(answer).toContain('7-2번 버스 막차');
    expect(answer).toContain('광교중앙역 방면: 00:20(자정 넘어)');
    // A follow-up keeps the route.
    expect(textOf(await resident.say('첫차는요?'))).toContain('광교중앙역 방면: 05:30');
    // 72 is a different route.
    expect(textOf(await resident.say('72번 버스 첫차'))).toContain('영통 방면: 07:15');
  });

  it('English: asks for the route, then answers', async () => {
    const resident = await new Resident(service).start('en-US');
    expect(textOf(await resident.say('What time is the last bus?'))).toContain('Which route?');
    expect(textOf(await resident.say('bus 7-2'))).toContain('towards Suwon Station: 00:40 (after midnight)');
  });

  it('one number naming two routes: buttons with each route\'s ends and city, the press answers', async () => {
    const resident = await new Resident(service).start();
    const question = await resident.say('60번 버스 첫차 알려주세요');
    expect(textOf(question)).toContain('60번 노선이 여러 지역에 있어요');
    const buttons = question.flatMap((m) => m.quickReplies ?? []);
    expect(buttons.map((b) => b.label)).toEqual(['60 수원역↔영통, 단국대병원 (수원여객)', '60 의정부역↔민락 (의정부 교통)']);
    const answer = textOf(await resident.press(buttons[1]!.payload));
    expect(answer).toContain('민락 방면: 05:10 (의정부역 출발)');
    expect(answer).not.toContain('영통');
  });

  it('English: the ambiguous number is resolved by a button too', async () => {
    const resident = await new Resident(service).start('en-US');
    const question = await resident.say('first bus 60');
    expect(textOf(question)).toContain('There is more than one route 60');
    expect(textOf(await resident.press(payloadsOf(question)[0]!))).toContain('towards 영통: 06:05');
  });

  it('next departures: asks where the resident boards, a terminal button answers; live arrivals when GBIS knows the stop', async () => {
    const resident = await new Resident(service).start();
    const ask = await resident.say('7-2번 다음 버스 언제 와요?');
    expect(textOf(ask)).toContain('7-2번 버스를 어느 정류장(역)에서 타시나요?');
    const terminals = ask.flatMap((m) => m.quickReplies ?? []);
    expect(terminals.map((b) => b.label)).toEqual(['수원역', '광교중앙역']);
    const answer = textOf(await resident.press(terminals[0]!.payload));
    expect(answer).toContain('수원역에서 타는 7-2번 버스 다음 출발이에요 (지금 10:00 기준, 시간표)');
    expect(answer).toContain('광교중앙역 방면: 12:00, 23:50, 00:20(자정 넘어)');
    // The fake GBIS has no stop named 수원역: the answer says live data is unavailable.
    expect(answer).toContain('실시간 도착 정보를 지금 받을 수 없어 시간표 기준으로 안내해요');

    const live = textOf(await resident.say('경기도청 정류장에서 7-2번 다음 버스'));
    expect(live).toContain('광교중앙역 방면: 12:12');
    expect(live).toContain('실시간 도착 정보:');
    expect(live).toContain('광교중앙역 방면: 4분 후 도착 예정 (2정거장 전)');
    expect(live).not.toContain('영통');
  });

  it('falls back to the timetable with a note when GBIS rate-limits', async () => {
    gbis.rateLimitRetryAfter = 60;
    const resident = await new Resident(service).start();
    // A stop not asked before (the client's short cache would otherwise answer).
    const answer = textOf(await resident.say('광교중앙역에서 7-2번 다음 버스 몇 분 남았어요?'));
    expect(answer).toContain('수원역 방면: 12:30');
    expect(answer).toContain('실시간 도착 정보를 지금 받을 수 없어 시간표 기준으로 안내해요');
  });

  it('English: next departures at a stop typed by its translated name', async () => {
    const resident = await new Resident(service).start('en-US');
    expect(textOf(await resident.say('When does the next 7-2 bus come?'))).toContain('Where do you board bus 7-2?');
    const answer = textOf(await resident.say('Gyeonggi Provincial Office'));
    expect(answer).toContain('Next bus 7-2 departures at Gyeonggi Provincial Office');
    expect(answer).toContain('12:12');
  });

  it('headway from frequencies, in Korean and English', async () => {
    const ko = textOf(await new Resident(service).start().then((r) => r.say('3000번 배차간격이 어떻게 되나요?')));
    expect(ko).toContain('강남역 방면: 05:00~07:00 20분, 07:00~09:00 10분, 09:00~23:00 15분');
    expect(ko).toContain('수원역 방면: 보통 60분 간격 (하루 5회, 06:00~22:00)');
    const en = textOf(await new Resident(service).start('en-US').then((r) => r.say('How often does the 3000 bus run?')));
    expect(en).toContain('07:00–09:00 every 10 min');
  });

  it('asks what the resident wants to know about a route, a button answers', async () => {
    const resident = await new Resident(service).start();
    const ask = await resident.say('7-2번 버스 시간표요');
    expect(textOf(ask)).toContain('7-2번 버스의 무엇이 궁금하세요?');
    const last = ask.flatMap((m) => m.quickReplies ?? []).find((b) => b.label === '막차')!;
    expect(textOf(await resident.press(last.payload))).toContain('수원역 방면: 00:40(자정 넘어)');
  });

  it('subway: last trains at a station, in Korean and English', async () => {
    const ko = textOf(await new Resident(service).start().then((r) => r.say('수인분당선 망포역 막차 몇 시예요?')));
    expect(ko).toContain('망포역에서 타는 수인분당선 막차');
    expect(ko).toContain('왕십리 방면: 00:11(자정 넘어)');
    expect(ko).toContain('인천 방면: 00:39(자정 넘어)');
    const en = textOf(await new Resident(service).start('en-US').then((r) => r.say('Last train on the Suin-Bundang Line at Mangpo Station?')));
    expect(en).toContain('Last 수인분당선 at Mangpo Station');
    expect(en).toContain('00:11 (after midnight)');
  });

  it('lets go of a pending question when the resident moves on', async () => {
    const resident = await new Resident(service).start();
    await resident.say('첫차 몇 시예요?');
    const reply = textOf(await resident.say('음식물 쓰레기는 어떻게 버려요?'));
    expect(reply).not.toContain('노선');
    const conversation = await service.store.conversations.get(resident.conversationId);
    expect(conversation?.slots.transit).toBeUndefined();
  });
});

describe('transit without a feed', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTransitService({});
  });
  afterAll(() => service?.close());

  it('says politely that timetable data is not configured and gives the bus information link', async () => {
    const resident = await new Resident(service).start();
    const reply = await resident.say('7-2번 버스 첫차가 몇 시예요?');
    expect(textOf(reply)).toContain('시간표 데이터가 연결되어 있지 않아');
    expect(textOf(reply)).toContain('gbis.go.kr');
    const english = await new Resident(service).start('en-US');
    expect(textOf(await english.say('When is the last 7770 bus?'))).toContain('timetable data for buses and subways is not connected yet');
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as { checks: { transit: { status: string } } };
    expect(ready.checks.transit.status).toBe('transit disabled: TRANSIT_GTFS is not set');
  });
});

describe('transit with a malformed feed', () => {
  let service: Service;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtfs-bad-'));
    fs.cpSync(MINI_FEED, dir, { recursive: true });
    const file = path.join(dir, 'stop_times.txt');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[4] = '72A-WD-1,06:00:00,6:6O:00,B-SUWON,10,0,,1';
    fs.writeFileSync(file, lines.join('\n'));
    service = await startTransitService({ TRANSIT_GTFS: dir });
  });
  afterAll(() => service?.close());

  it('reports the file, line and field in /readyz, stays ready, and gives no timetable answers', async () => {
    const res = await fetch(`${service.url}/readyz`);
    expect(res.status).toBe(200);
    const ready = (await res.json()) as { checks: { transit: { ok: boolean; status: string } } };
    expect(ready.checks.transit.ok).toBe(true);
    expect(ready.checks.transit.status).toMatch(/^transit disabled: stop_times\.txt line 5, field departure_time: expected a time HH:MM:SS, got "6:6O:00"$/);
    const resident = await new Resident(service).start();
    const reply = textOf(await resident.say('7-2번 버스 첫차가 몇 시예요?'));
    expect(reply).toContain('시간표 데이터가 연결되어 있지 않아');
    expect(reply).not.toContain('05:30');
    expect(textOf(await resident.say('안녕하세요'))).toContain('다정');
  });
});
