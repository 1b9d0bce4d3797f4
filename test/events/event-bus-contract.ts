/**
 * The EventBus port's behaviour (src/core/event-port.ts), as one suite every implementation passes.
 * A fixture makes buses that share one transport: for a distributed bus, two buses from one fixture
 * are two service instances; an in-process bus has no other instances, so those cases are skipped.
 */
import type { Conversation } from '../../src/core/conversation';
import type { EventBus, EventMap, EventName } from '../../src/core/event-port';
import type { Message } from '../../src/core/message';

export interface EventBusFixture {
  /** A new bus (a new instance of the service), ready to receive other instances' events. */
  create(): Promise<EventBus>;
  /** True when buses from create() reach each other. */
  distributed: boolean;
  /** Takes the shared transport away and brings it back (distributed buses only). */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
}

/** Collects one event's payloads and lets a test wait for a count of them. */
export class Collector<K extends EventName> {
  readonly items: EventMap[K][] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly unsubscribe: () => void;

  constructor(bus: EventBus, event: K) {
    this.unsubscribe = bus.subscribe(event, (payload) => {
      this.items.push(payload);
      this.waiters = this.waiters.filter((w) => (this.items.length >= w.n ? (w.resolve(), false) : true));
    });
  }

  /** Resolves when at least n events arrived; rejects (naming what arrived) after timeoutMs. */
  waitFor(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.items.length >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for ${n} events, got ${this.items.length}`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** Polls a condition that no event announces (connection state); fails after timeoutMs. */
export async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const message = (i: number, from = 'a'): Message => ({
  id: `${from}-${i}`,
  conversationId: 'c1',
  residentId: 'r1',
  channel: 'app',
  direction: 'outbound',
  author: 'bot',
  content: { text: `reply ${i}` },
  seq: i,
  createdAt: new Date(Date.UTC(2026, 10, 28, 9, 0, 0, i)),
});

export function runEventBusContract(name: string, fixture: EventBusFixture): void {
  describe(`event bus contract: ${name}`, () => {
    const open: EventBus[] = [];
    const bus = async () => {
      const b = await fixture.create();
      open.push(b);
      return b;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('delivers to local subscribers synchronously, in publish order', async () => {
      const a = await bus();
      const seen: number[] = [];
      a.subscribe('message', (m) => seen.push(m.seq));
      a.publish('message', message(1));
      a.publish('message', message(2));
      // No await in between: delivery happened inside publish().
      expect(seen).toEqual([1, 2]);
    });

    it('stops delivering after unsubscribe, also when a listener unsubscribes during delivery', async () => {
      const a = await bus();
      const seen: string[] = [];
      const offFirst = a.subscribe('presence', (p) => {
        seen.push(`first:${p.userId}`);
        offFirst();
      });
      const offSecond = a.subscribe('presence', (p) => seen.push(`second:${p.userId}`));
      a.publish('presence', { userId: 'u1' });
      offSecond();
      a.publish('presence', { userId: 'u2' });
      expect(seen).toEqual(['first:u1', 'second:u1']);
    });

    it('keeps delivering when a subscriber throws, and never throws to the publisher', async () => {
      const a = await bus();
      const seen: string[] = [];
      a.subscribe('queue', () => {
        throw new Error('subscriber bug');
      });
      a.subscribe('queue', () => seen.push('after'));
      expect(() => a.publish('queue', {})).not.toThrow();
      expect(seen).toEqual(['after']);
    });

    it('reports itself healthy when its transport is up', async () => {
      const a = await bus();
      expect(a.healthy()).toBe(true);
    });

    // An in-process bus has no other instances: these cases exist only for distributed buses.
    if (fixture.distributed) describe('across instances', () => {
      it('delivers each event once to another instance, in publish order, with Dates intact', async () => {
        const [a, b] = [await bus(), await bus()];
        const atB = new Collector(b, 'message');
        for (let i = 1; i <= 300; i++) a.publish('message', message(i));
        await atB.waitFor(300);
        expect(atB.items.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        expect(atB.items[7]).toEqual(message(8));
        expect(atB.items[7]!.createdAt).toBeInstanceOf(Date);
      });

      it('never hands an instance its own events a second time', async () => {
        const [a, b] = [await bus(), await bus()];
        const atA = new Collector(a, 'presence');
        const marker = new Collector(a, 'queue');
        for (let i = 0; i < 50; i++) a.publish('presence', { userId: `u${i}` });
        // One total order per transport: once B's later marker reaches A, any echo would have too.
        const atB = new Collector(b, 'presence');
        await atB.waitFor(50);
        b.publish('queue', {});
        await marker.waitFor(1);
        expect(atA.items).toHaveLength(50);
      });

      it('keeps each publisher in order when several publish at once', async () => {
        const [a, b, c] = [await bus(), await bus(), await bus()];
        const atC = new Collector(c, 'message');
        for (let i = 1; i <= 100; i++) {
          a.publish('message', message(i, 'a'));
          b.publish('message', message(i, 'b'));
        }
        await atC.waitFor(200);
        const from = (p: string) => atC.items.filter((m) => m.id.startsWith(p)).map((m) => m.seq);
        expect(from('a-')).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(from('b-')).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      });

      it('carries nested Dates in conversation events', async () => {
        const [a, b] = [await bus(), await bus()];
        const atB = new Collector(b, 'conversation');
        const conversation: Conversation = {
          id: 'c1',
          residentId: 'r1',
          channel: 'telegram',
          externalUserId: '42',
          language: 'ko',
          state: 'queued',
          priority: 'crisis',
          handoffSeq: 1,
          slots: { since: new Date('2026-11-27T23:59:00Z') },
          misses: 0,
          createdAt: new Date('2026-11-28T00:00:00Z'),
          updatedAt: new Date('2026-11-28T00:01:00Z'),
          queuedAt: new Date('2026-11-28T00:01:00Z'),
        };
        a.publish('conversation', { conversation, reason: 'escalated' });
        await atB.waitFor(1);
        expect(atB.items[0]).toEqual({ conversation, reason: 'escalated' });
      });

      if (fixture.outage) {
        const outage = fixture.outage;
        it('reports the outage, reconnects by itself, and delivers what was published meanwhile, once and in order', async () => {
          const [a, b] = [await bus(), await bus()];
          const atB = new Collector(b, 'message');
          a.publish('message', message(1));
          await atB.waitFor(1);
          await outage.stop();
          await until('both buses notice the outage', () => !a.healthy() && !b.healthy());
          // Local delivery goes on during the outage.
          const localAtA = new Collector(a, 'message');
          for (let i = 2; i <= 40; i++) a.publish('message', message(i));
          expect(localAtA.items).toHaveLength(39);
          await outage.start();
          await until('both buses reconnect', () => a.healthy() && b.healthy());
          await atB.waitFor(40, 20_000);
          a.publish('message', message(41));
          await atB.waitFor(41);
          expect(atB.items.map((m) => m.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
        }, 60_000);
      }
    });
  });
}
