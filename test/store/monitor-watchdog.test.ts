/**
 * The watchdog for a server monitor stuck in a heartbeat (src/store/mongo/monitor-watchdog.ts),
 * fed the driver's heartbeat events on a clock of its own.
 */
import { EventEmitter } from 'node:events';
import { MonitorWatchdog } from '../../src/store/mongo/monitor-watchdog';

const A = '127.0.0.1:27017';
const B = '127.0.0.1:27018';

function setup(onStuck: (address: string, ms: number) => Promise<void> = async () => undefined) {
  let clock = 0;
  const stuck: [string, number][] = [];
  const watchdog = new MonitorWatchdog({
    stuckAfterMs: 14_000, // connectTimeoutMS 10 s + heartbeatFrequencyMS 2 s + 2 s
    heartbeatFrequencyMS: 2_000,
    now: () => clock,
    onStuck: async (address, ms) => {
      stuck.push([address, ms]);
      await onStuck(address, ms);
    },
  });
  const client = new EventEmitter();
  watchdog.watch(client);
  return { watchdog, client, stuck, advance: (ms: number) => (clock += ms) };
}

describe('MonitorWatchdog', () => {
  it('leaves heartbeats alone that end within the driver bound, awaited ones included', async () => {
    const { watchdog, client, stuck, advance } = setup();
    for (let i = 0; i < 5; i++) {
      client.emit('serverHeartbeatStarted', { connectionId: A });
      advance(13_900); // just under connectTimeoutMS + heartbeatFrequencyMS + grace
      await watchdog.check();
      client.emit(i % 2 ? 'serverHeartbeatFailed' : 'serverHeartbeatSucceeded', { connectionId: A });
      advance(60_000); // idle between checks: nothing is outstanding
      await watchdog.check();
    }
    expect(stuck).toEqual([]);
  });

  it('reports a heartbeat outstanding past the bound once, for its server', async () => {
    const { watchdog, client, stuck, advance } = setup();
    client.emit('serverHeartbeatStarted', { connectionId: A });
    client.emit('serverHeartbeatStarted', { connectionId: B });
    client.emit('serverHeartbeatSucceeded', { connectionId: B });
    advance(14_001);
    await watchdog.check();
    await watchdog.check();
    expect(stuck).toEqual([[A, 14_001]]);
  });

  it('runs one recovery at a time and follows the new client after it', async () => {
    let finish!: () => void;
    const { watchdog, client, stuck, advance } = setup(() => new Promise<void>((r) => (finish = r)));
    client.emit('serverHeartbeatStarted', { connectionId: A });
    advance(20_000);
    const recovery = watchdog.check();
    client.emit('serverHeartbeatStarted', { connectionId: A });
    advance(20_000);
    await watchdog.check(); // still recovering: not reported again
    expect(stuck).toHaveLength(1);
    const reopened = new EventEmitter();
    watchdog.watch(reopened);
    finish();
    await recovery;
    // The old client's events no longer count; the new client's do.
    client.emit('serverHeartbeatStarted', { connectionId: A });
    advance(20_000);
    await watchdog.check();
    expect(stuck).toHaveLength(1);
    reopened.emit('serverHeartbeatStarted', { connectionId: A });
    advance(20_000);
    const second = watchdog.check();
    expect(stuck).toHaveLength(2);
    finish();
    await second;
  });

  it('stops listening when stopped', async () => {
    const { watchdog, client, stuck, advance } = setup();
    watchdog.stop();
    expect(client.listenerCount('serverHeartbeatStarted')).toBe(0);
    client.emit('serverHeartbeatStarted', { connectionId: A });
    advance(60_000);
    await watchdog.check();
    expect(stuck).toEqual([]);
  });
});
