/**
 * A database outage is not a wrong token. While the database cannot be reached, a resident's
 * request with a valid token answers 503 (try again) and the stream closes with 1013 (try again
 * later), never 401 / 4401: the web chat drops its session on those and would start a new
 * conversation, losing the one in progress (a crisis chat in the queue included).
 */
import WebSocket from 'ws';
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { useFerretDB } from '../support/ferretdb';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitUntil } from '../channels/channel-test-kit';

describe('app API during a database outage', () => {
  const db = useFerretDB();
  let proxy: TcpProxy;
  let service: Service;

  beforeAll(async () => {
    proxy = await startTcpProxy(db().port);
    service = await startService({
      MONGODB_URI: `${proxy.url('mongodb')}${new URL(db().uri).pathname}`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
      LOG_LEVEL: process.env.TEST_LOGS ? 'error' : 'silent',
    });
  }, 300_000);
  afterAll(async () => {
    proxy?.restore();
    await service?.close();
    await proxy?.close();
  });

  /** The stream's answer to an auth frame: its error frame and close code. */
  const streamAuth = (token: string) =>
    new Promise<{ code: number; error?: string }>((resolve, reject) => {
      const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
      let error: string | undefined;
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.on('message', (d) => {
        const frame = JSON.parse(String(d)) as { type: string; error?: { code: string } };
        if (frame.type === 'error') error = frame.error?.code;
        if (frame.type === 'ready') ws.close(1000);
      });
      ws.once('close', (code) => resolve({ code, error }));
      ws.once('error', reject);
    });

  it('answers 503 and 1013 with a valid token, and the same session works once the database is back', async () => {
    const resident = new AppClient(service.url);
    await resident.start();
    await resident.say('안녕하세요');
    await resident.nextReply();

    proxy.cut();
    const during = await resident.send({ text: '버스 시간 알려 주세요', clientMessageId: 'outage-1' });
    expect([during.status, during.status === 503 ? '' : await during.text()]).toEqual([503, '']);
    expect(during.headers.get('retry-after')).toBe('5');
    expect(await streamAuth(resident.token)).toEqual({ code: 1013, error: 'unavailable' });
    proxy.restore();

    // The same token, the same conversation: the retry is accepted once the database answers.
    const after = await waitUntil(async () => {
      const res = await resident.send({ text: '버스 시간 알려 주세요', clientMessageId: 'outage-1' });
      return res.status === 202 && res;
    }, 'the message to be accepted after the outage', 60_000);
    expect(after.status).toBe(202);
    expect((await streamAuth(resident.token)).code).toBe(1000);
    // A wrong token is still refused as such.
    expect((await streamAuth('x'.repeat(43))).code).toBe(4401);
  }, 120_000);
});
