/**
 * The knowledge-base stores (tickets, versioned knowledge, notices, unanswered) on a real
 * MongoDB-wire server (embedded FerretDB), through the same contract suites as the memory store.
 */
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { runKnowledgeContract } from './knowledge-contract';
import { runNoticeContract } from './notice-contract';
import { runTicketContract } from './ticket-contract';
import { runUnansweredContract } from './unanswered-contract';

let server: FerretDB;
let dbCounter = 0;
/** A fresh database per store, so tests never see each other's data. */
const fresh = () => MongoStore.connect(`mongodb://127.0.0.1:${server.port}/kb${++dbCounter}`);

beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

runTicketContract('mongodb (FerretDB)', fresh);
runKnowledgeContract('mongodb (FerretDB)', fresh);
runNoticeContract('mongodb (FerretDB)', fresh);
runUnansweredContract('mongodb (FerretDB)', fresh);
