/**
 * Crash test on MongoDB (FerretDB): a steady stream of app messages, SIGKILL mid-stream, restart.
 * Every message that got a 2xx must be stored exactly once and answered exactly once after the
 * restart (turns of stored-but-unhandled messages are resumed).
 */
import type { ChildProcess } from 'node:child_process';
import { withTimeout } from '../../src/core/with-timeout';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { describeExit, whenExited } from '../support/child-exit';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { AppClient } from '../support/service';
import { freePort, startProcess, waitReady } from '../support/service-process';

describe('crash recovery on MongoDB', () => {
  let db: FerretDB;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = await startFerretDB({ dbName: 'crash' });
  }, FERRETDB_START_TIMEOUT_MS);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.stop();
  });

  it('keeps every acknowledged message exactly once and answers each after a SIGKILL', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { MONGODB_URI: db.uri, PORT: String(port), HOST: '127.0.0.1', NLU_MODE: 'lexical', LOG_LEVEL: 'error' };
    let stderr = '';
    const start = () => {
      child = startProcess(env);
      child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
      return child;
    };
    const acknowledged: string[] = [];
    /** Refusals by status (a 429 or 503 streak would otherwise spin until the test's timeout). */
    const refused = new Map<number, number>();
    let sent = 0;
    const why = (what: string) =>
      new Error(`${what} after ${acknowledged.length} acknowledged of ${sent} sent; refused ${JSON.stringify([...refused])}; process ${describeExit(child!)}; stderr: ${stderr}`);
    /** Bounds a step without a timeout of its own: a hang fails with what was seen, not at the test's timeout. */
    const within = <T>(ms: number, what: string, step: Promise<T>): Promise<T> => withTimeout(step, ms, () => why(`${what}: nothing in ${ms} ms`));
    // Each phase is bounded below the test's timeout, so a stall fails with what was seen.
    await waitReady(url, start(), 150_000);

    const app = new AppClient(url);
    await within(30_000, 'opening the session', app.start());
    // A steady stream: two senders in parallel until the process dies under them.
    const sender = async (lane: number) => {
      for (let i = 0; ; i++) {
        const clientMessageId = `lane${lane}-${i}`;
        sent++;
        try {
          const res = await app.send({ text: `7-2번 버스 첫차가 몇 시예요? (${clientMessageId})`, clientMessageId });
          if (res.status >= 200 && res.status < 300) acknowledged.push(clientMessageId);
          else refused.set(res.status, (refused.get(res.status) ?? 0) + 1);
        } catch {
          return; // connection refused or reset: the process is gone
        }
      }
    };
    let lanesDone = 0;
    const lanes = [sender(1), sender(2)].map((lane) => lane.finally(() => lanesDone++));
    // Stalls are reported with what was seen, not waited out until the test's timeout: both senders
    // stop only when the process is gone, refusals are counted, and a minute without an acknowledgement
    // means the service hangs.
    let lastProgress = Date.now();
    let lastCount = 0;
    while (acknowledged.length < 40) {
      if (lanesDone === 2) throw why('the service stopped answering');
      if (acknowledged.length !== lastCount) [lastCount, lastProgress] = [acknowledged.length, Date.now()];
      if (Date.now() - lastProgress > 60_000) throw why('no message acknowledged for a minute');
      await new Promise((r) => setTimeout(r, 5));
    }
    child!.kill('SIGKILL');
    await within(30_000, 'senders ending after the SIGKILL', Promise.all(lanes));
    // The exit may well have fired while the senders were ending: whenExited sees it either way.
    await within(30_000, 'the killed process exiting', whenExited(child!));
    expect(child!.signalCode).toBe('SIGKILL');
    expect(sent).toBeGreaterThan(acknowledged.length - 1);

    await waitReady(url, start(), 150_000);

    const store = await within(30_000, 'connecting to the database', MongoStore.connect(db.uri));
    try {
      const deadline = Date.now() + 30_000;
      let inbound: Awaited<ReturnType<typeof store.messages.listByConversation>> = [];
      let replies: typeof inbound = [];
      do {
        const all = await within(30_000, 'listing the stored messages', store.messages.listByConversation(app.conversationId, { limit: 10_000 }));
        inbound = all.filter((m) => m.direction === 'inbound');
        replies = all.filter((m) => m.author === 'bot');
        if (inbound.every((m) => m.handledAt)) break;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < deadline);

      const stored = inbound.map((m) => m.channelMessageId!.split(':')[1]!);
      for (const id of acknowledged) expect(stored.filter((s) => s === id)).toHaveLength(1);
      expect(new Set(stored).size).toBe(stored.length);
      // Every stored message was answered exactly once, including those whose turn the crash cut.
      expect(inbound.every((m) => m.handledAt)).toBe(true);
      for (const m of inbound) expect(replies.filter((r) => r.replyToId === m.id)).toHaveLength(1);
      // And the resident can read them all through the API after the restart.
      const seen = await fetch(`${url}/api/app/v1/messages`, { headers: { authorization: `Bearer ${app.token}` }, signal: AbortSignal.timeout(30_000) });
      const body = (await seen.json()) as { messages: { author: string }[] };
      // The welcome the session opened with, then one answer per message.
      expect(body.messages.filter((m) => m.author === 'bot')).toHaveLength(inbound.length + 1);
    } finally {
      await store.close();
    }
  }, 460_000);
});
