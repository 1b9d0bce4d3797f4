/**
 * The console user and handoff stores on a real MongoDB-wire server (embedded FerretDB), with
 * the same contracts the memory store passes.
 */
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { runHandoffContract } from './handoff-contract';
import { runUserContract } from './user-contract';

let server: FerretDB;
let dbCounter = 0;
/** A fresh database per store, so tests never see each other's data. */
const fresh = () => MongoStore.connect(`mongodb://127.0.0.1:${server.port}/handoff${++dbCounter}`);

beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

runUserContract('mongodb (FerretDB)', fresh);
runHandoffContract('mongodb (FerretDB)', fresh);

describe('handoff stores on two connections to one database (two instances)', () => {
  let a: MongoStore;
  let b: MongoStore;
  beforeEach(async () => {
    const uri = `mongodb://127.0.0.1:${server.port}/handoff${++dbCounter}`;
    [a, b] = await Promise.all([MongoStore.connect(uri), MongoStore.connect(uri)]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('raises one alert per key and opens one episode per id across instances, 10 rounds', async () => {
    for (let round = 0; round < 10; round++) {
      const raised = await Promise.all(
        [a, b, a, b].map((s) => s.alerts.raise({ key: `sla:c${round}:1`, kind: 'sla_breach', message: 'late', raisedAt: new Date() })),
      );
      expect(raised.filter((r) => r.created)).toHaveLength(1);
      const opened = await Promise.all(
        [a, b, a, b].map((s, i) =>
          s.episodes.open({
            id: `c${round}:1`,
            conversationId: `c${round}`,
            handoffSeq: 1,
            residentId: 'r',
            channel: 'app',
            language: 'ko',
            priority: 'normal',
            reason: `instance ${i}`,
            queuedAt: new Date(),
          }),
        ),
      );
      expect(new Set(opened.map((e) => e.reason)).size).toBe(1);
    }
  });

  it('loses no figure increments made concurrently by two instances', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).figures.increment('2025-02-01', 'conversations')));
    expect(await a.figures.list('2025-02-01', '2025-02-01')).toEqual([{ day: '2025-02-01', key: 'conversations', count: 20 }]);
  });
});
