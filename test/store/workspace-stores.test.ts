/** The workspace stores (media in chunks, canned answers, message search) on memory and on FerretDB. */
import { MemoryStore } from '../../src/store/memory-store';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { runWorkspaceContract } from './workspace-contract';

let server: FerretDB;
let dbCounter = 0;

beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

runWorkspaceContract('memory', async () => new MemoryStore());
runWorkspaceContract('mongodb (FerretDB)', () => MongoStore.connect(`mongodb://127.0.0.1:${server.port}/ws${++dbCounter}`));
