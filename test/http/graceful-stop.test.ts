/**
 * Graceful stop (issue 15): readiness fails first, so a load balancer stops sending requests while
 * the instance still serves; then open long-polls are answered (the resident polls again on
 * another instance) instead of being cut when the connections close.
 */
import { eventually } from '../console/console-client';
import { AppClient, startService } from '../support/service';

describe('graceful stop', () => {
  it('fails /readyz first, then answers an open long-poll with its cursor', async () => {
    // Room for the readiness request to arrive on a busy machine before the listener closes.
    const service = await startService({ SHUTDOWN_READY_DELAY_MS: '5000' });
    const app = new AppClient(service.url);
    await app.start();
    await app.poll(0);
    const cursor = app.cursor;
    const waiting = app.poll(25);
    await eventually(
      async () => /dajeong_long_poll_open_waits 1\b/.test(await (await fetch(`${service.url}/metrics`)).text()),
      10_000,
      'long-poll waiting',
    );

    const closed = service.close();
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { shutdown: { ok: boolean } } }).checks.shutdown.ok).toBe(false);

    expect(await waiting).toEqual([]);
    expect(app.cursor).toBe(cursor);
    await closed;
  }, 120_000);
});
