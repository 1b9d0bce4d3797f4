/**
 * 503 answers never reveal the database address (issue 12): with the database stopped, the store's
 * error says "connect ECONNREFUSED 127.0.0.1:PORT"; clients get a generic message and Retry-After,
 * the details stay in the log.
 */
import type { Service } from '../../src/main';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { startService } from '../support/service';

describe('answers during a database outage', () => {
  let db: FerretDB;
  let service: Service;
  beforeAll(async () => {
    db = await startFerretDB();
    const store = await MongoStore.connect(db.uri, { serverSelectionTimeoutMS: 1_000, heartbeatFrequencyMS: 500 });
    service = await startService({}, store);
    await db.stop();
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  const leaks = (text: string) => [String(db.port), '127.0.0.1', 'mongodb://', 'ECONNREFUSED'].filter((s) => text.includes(s));

  it('answers 503 with a generic message on the app API', async () => {
    const res = await fetch(`${service.url}/api/app/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'd', locale: 'ko-KR' }),
    });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(text)).toEqual({ error: { code: 'unavailable', message: 'The service is temporarily unavailable; try again shortly.' } });
    expect(leaks(text)).toEqual([]);
  });

  it('says only that the store is not ready on /readyz', async () => {
    const res = await fetch(`${service.url}/readyz`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(leaks(text)).toEqual([]);
  });
});
