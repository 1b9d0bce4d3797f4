/** The quality-monitoring store on memory and on FerretDB (MongoDB wire). */
import { MemoryStore } from '../../src/store/memory-store';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { runQaContract } from './qa-contract';

let server: FerretDB;
let dbCounter = 0;

beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

runQaContract('memory', async () => new MemoryStore());
runQaContract('mongodb (FerretDB)', () => MongoStore.connect(`mongodb://127.0.0.1:${server.port}/qa${++dbCounter}`));
