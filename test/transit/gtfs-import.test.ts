/** GTFS import: the fixture feed (folder and .zip, in the worker), and errors located by file, line and field. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { buildTransitIndex } from '../../src/transit/gtfs-index-builder';
import { GtfsImportError } from '../../src/transit/gtfs-import-error';
import { importFeedInWorker } from '../../src/transit/gtfs-import-host';
import { StringTable } from '../../src/transit/string-table';
import { TransitTimetable } from '../../src/transit/transit-timetable';
import { MINI_FEED } from './transit-test-kit';

jest.setTimeout(120_000);

function copyFeed(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtfs-'));
  fs.cpSync(MINI_FEED, dir, { recursive: true });
  edit(dir);
  return dir;
}

function replaceLine(dir: string, file: string, line: number, text: string): void {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  lines[line - 1] = text;
  fs.writeFileSync(path.join(dir, file), lines.join('\n'));
}

async function problemOf(dir: string) {
  try {
    await buildTransitIndex(dir);
  } catch (err) {
    if (err instanceof GtfsImportError) return err.problem;
    throw err;
  }
  throw new Error('the import did not fail');
}

describe('GTFS import', () => {
  it('reads every table of the fixture: BOM, quoted fields and extra columns included', async () => {
    const data = await buildTransitIndex(MINI_FEED);
    expect(data.stats).toMatchObject({ agencies: 3, routes: 6, stops: 16, trips: 37, stopTimes: 100, frequencies: 3 });
    expect(data.feed).toMatchObject({ name: '다정 테스트 교통정보', version: '2026-11-01', timezone: 'Asia/Seoul' });
    // The BOM did not stick to the first column name, and quoted names lost their quotes.
    expect(data.agencyNames).toEqual(['수원여객', '의정부 교통', '경기 도시철도']);
    expect(new StringTable(data.stops.names).all()).toContain('영통, 단국대병원');
  });

  it('orders each trip by stop_sequence even when the file does not, and interpolates empty times', async () => {
    const tt = new TransitTimetable(await buildTransitIndex(MINI_FEED));
    const r = tt.routesByNumber('7-2')[0]!;
    const ggdc = tt.searchStops('경기도청')[0]!.stops;
    // 72B-WD-0 is listed last and backwards; its call at 경기도청 is 06:03.
    const next = tt.nextDepartures(r, ggdc, new Date('2026-11-30T06:00:00+09:00'), 1);
    expect(next.find((d) => d.towards === '수원역')?.times).toEqual([6 * 3600 + 3 * 60]);
    // 72A-WD-2 has no time at 경기도청: halfway between 06:30 and 06:55.
    const after = tt.nextDepartures(r, ggdc, new Date('2026-11-30T06:40:00+09:00'), 1);
    expect(after.find((d) => d.towards === '광교중앙역')?.times).toEqual([6 * 3600 + 42 * 60 + 30]);
  });

  it('imports a zipped feed in a worker thread and hands the index over', async () => {
    const zipFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gtfs-zip-')), 'mini.zip');
    const zip = new yazl.ZipFile();
    for (const name of fs.readdirSync(MINI_FEED)) zip.addFile(path.join(MINI_FEED, name), name);
    zip.end();
    await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(zipFile)).on('close', resolve).on('error', reject));
    const progress: string[] = [];
    const data = await importFeedInWorker(zipFile, { onProgress: (f) => progress.push(f) });
    expect(data.stats.stopTimes).toBe(100);
    expect(Object.prototype.toString.call(data.stopTimes.time)).toBe('[object Int32Array]');
    expect(progress).toContain('stop_times.txt');
    expect(new TransitTimetable(data).routesByNumber('7-2')).toHaveLength(1);
  });

  it('names the file, line and field of a bad time', async () => {
    const dir = copyFeed((d) => replaceLine(d, 'stop_times.txt', 5, '72A-WD-1,06:00:00,6:6O:00,B-SUWON,10,0,,1'));
    expect(await problemOf(dir)).toEqual({ file: 'stop_times.txt', line: 5, field: 'departure_time', message: expect.stringContaining('6:6O:00') });
  });

  it('names an unknown reference', async () => {
    const dir = copyFeed((d) => replaceLine(d, 'trips.txt', 3, 'NO-SUCH-ROUTE,WD,72A-WD-1,"광교중앙역",0,'));
    expect(await problemOf(dir)).toEqual({ file: 'trips.txt', line: 3, field: 'route_id', message: 'unknown route_id "NO-SUCH-ROUTE"' });
  });

  it('reports CSV syntax errors with their line', async () => {
    const dir = copyFeed((d) => replaceLine(d, 'stops.txt', 4, 'B-GWANGGYO,01003,"광교중앙역,37.2890,127.0510,0,,'));
    const problem = await problemOf(dir);
    expect(problem.file).toBe('stops.txt');
    expect(problem.line).toBeGreaterThanOrEqual(4);
    expect(problem.message).toMatch(/CSV syntax/);
  });

  it('reports a missing required file or column', async () => {
    expect(await problemOf(copyFeed((d) => fs.rmSync(path.join(d, 'routes.txt'))))).toEqual({ file: 'routes.txt', message: 'required file is missing from the feed' });
    const noType = copyFeed((d) => replaceLine(d, 'routes.txt', 1, 'route_id,agency_id,route_short_name,route_long_name,route_kind,route_color,route_note'));
    expect(await problemOf(noType)).toEqual({ file: 'routes.txt', line: 1, field: 'route_type', message: 'required column is missing' });
  });

  it('rejects a path that is neither a folder nor a zip', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gtfs-bad-')), 'feed.zip');
    fs.writeFileSync(file, 'not a zip');
    await expect(buildTransitIndex(file)).rejects.toMatchObject({ problem: { file: 'feed.zip', message: expect.stringMatching(/not a readable zip/) } });
  });
});
