/**
 * BusDataReloads: an edit announced on one instance makes the others reload (never the announcing
 * one, which already rebuilt), a gap (`resync`) reloads everything, and reloads never overlap.
 */
import type { EventMap, EventName } from '../../src/core/event-port';
import { BusDataReloads } from '../../src/events/bus-data-reloads';
import { InProcessEventBus } from '../../src/events/in-process-bus';
import { eventually } from '../console/console-client';

/** An in-process bus that can also hand out events as if another instance had published them. */
class TwoSidedBus extends InProcessEventBus {
  fromElsewhere<K extends EventName>(event: K, payload: EventMap[K]): void {
    this.deliver(event, payload, { local: false });
  }
}

/** A reload that stays under way until the test lets it finish. */
function gatedReload() {
  let open!: () => void;
  const state = { runs: 0, concurrent: 0, maxConcurrent: 0 };
  let gate = new Promise<void>((resolve) => (open = resolve));
  const reload = async () => {
    state.runs++;
    state.concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
    await gate;
    state.concurrent--;
  };
  const release = () => {
    open();
    gate = new Promise<void>((resolve) => (open = resolve));
  };
  return { state, reload, release };
}

describe('BusDataReloads', () => {
  it('announces a reload event, and does not reload for its own announcement', async () => {
    const bus = new TwoSidedBus();
    const reloads = new BusDataReloads(bus);
    const heard: EventMap['reload'][] = [];
    bus.subscribe('reload', (e) => heard.push(e));
    let runs = 0;
    reloads.follow('faq', () => void runs++);
    reloads.announce('faq');
    await reloads.settle();
    expect(heard).toEqual([{ topic: 'faq' }]);
    expect(runs).toBe(0);
  });

  it('reloads a topic when another instance announces it, and only that topic', async () => {
    const bus = new TwoSidedBus();
    const reloads = new BusDataReloads(bus);
    const runs: string[] = [];
    reloads.follow('faq', () => void runs.push('faq'));
    reloads.follow('notices', () => void runs.push('notices'));
    bus.fromElsewhere('reload', { topic: 'notices' });
    await reloads.settle();
    expect(runs).toEqual(['notices']);
  });

  it('reloads every topic after a gap', async () => {
    const bus = new TwoSidedBus();
    const reloads = new BusDataReloads(bus);
    const runs: string[] = [];
    reloads.follow('faq', () => void runs.push('faq'));
    reloads.follow('transit', () => void runs.push('transit'));
    bus.publish('resync', { reason: 'redis restarted' });
    await reloads.settle();
    expect(runs.sort()).toEqual(['faq', 'transit']);
  });

  it('never runs one reload twice at once, and folds a burst into one more run', async () => {
    const bus = new TwoSidedBus();
    const reloads = new BusDataReloads(bus);
    const faq = gatedReload();
    reloads.follow('faq', faq.reload);
    bus.fromElsewhere('reload', { topic: 'faq' });
    await eventually(async () => faq.state.runs === 1, 2_000, 'first run started');
    for (let i = 0; i < 5; i++) bus.fromElsewhere('reload', { topic: 'faq' });
    faq.release();
    await eventually(async () => faq.state.runs === 2, 2_000, 'second run started');
    faq.release();
    await reloads.settle();
    expect(faq.state).toEqual({ runs: 2, concurrent: 0, maxConcurrent: 1 });
  });

  it('keeps following after a reload fails', async () => {
    const bus = new TwoSidedBus();
    const errors: unknown[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (o: unknown) => void errors.push(o), child: () => logger };
    const reloads = new BusDataReloads(bus, logger);
    let calls = 0;
    reloads.follow('intents', async () => {
      if (++calls === 1) throw new Error('store unreachable');
    });
    bus.fromElsewhere('reload', { topic: 'intents' });
    await reloads.settle();
    bus.fromElsewhere('reload', { topic: 'intents' });
    await reloads.settle();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('stops following when closed', async () => {
    const bus = new TwoSidedBus();
    const reloads = new BusDataReloads(bus);
    let runs = 0;
    reloads.follow('faq', () => void runs++);
    reloads.close();
    bus.fromElsewhere('reload', { topic: 'faq' });
    await reloads.settle();
    expect(runs).toBe(0);
  });
});
