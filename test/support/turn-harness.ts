/**
 * The turn core without HTTP: memory store, in-process events, delivery with the outbox worker,
 * escalation, the turn runner over a given pipeline, and the in-memory channel on a runtime.
 * For unit tests of the runner, delivery and steps that still go through real storage and sending.
 */
import { MemoryChannel } from '../../channels/memory/memory-channel';
import { translate } from '../../src/i18n/translate';
import type { ChannelRuntime } from '../../src/core/channel-port';
import type { TurnContext } from '../../src/core/turn-context';
import { InProcessEventBus } from '../../src/events/in-process-bus';
import { EscalationService } from '../../src/handoff/escalation';
import { MemoryStore } from '../../src/store/memory-store';
import { ChannelDirectory } from '../../src/turn/channel-directory';
import { Delivery } from '../../src/turn/delivery';
import { Inbound } from '../../src/turn/inbound';
import { OutboxWorker } from '../../src/turn/outbox-worker';
import { TurnRunner } from '../../src/turn/turn-runner';
import { silentLogger } from './service';

export interface TurnHarness {
  store: MemoryStore;
  bus: InProcessEventBus;
  channel: MemoryChannel;
  delivery: Delivery;
  escalation: EscalationService;
  runner: TurnRunner;
  inbound: Inbound;
  close(): Promise<void>;
}

export async function startTurnHarness(options: {
  pipeline: (ctx: TurnContext) => Promise<void>;
  turnTimeoutMs?: number;
  channel?: MemoryChannel;
  store?: MemoryStore;
}): Promise<TurnHarness> {
  const logger = silentLogger();
  const store = options.store ?? new MemoryStore();
  const bus = new InProcessEventBus(logger);
  const channel = options.channel ?? new MemoryChannel();
  const channels = new ChannelDirectory();
  channels.add(channel);
  const outbox = new OutboxWorker(store, channels, logger, { pollMs: 20, baseDelayMs: 10, maxDelayMs: 50 });
  const delivery = new Delivery({ store, bus, channels, worker: outbox });
  const escalation = new EscalationService({ store, bus, channels, logger });
  const runner = new TurnRunner({ store, outbound: delivery, escalation, logger, translate, pipeline: options.pipeline, turnTimeoutMs: options.turnTimeoutMs });
  const inbound = new Inbound({ store, bus, runner, logger });
  const noHttp = () => {
    throw new Error('the turn harness has no HTTP');
  };
  const runtime: ChannelRuntime = {
    dispatch: (m) => inbound.dispatch(m),
    dispatchAndWait: (m, waitMs) => inbound.dispatchAndWait(m, waitMs),
    openConversation: (o) => inbound.openConversation(o),
    route: noHttp,
    serveStatic: noHttp,
    upgrade: noHttp,
    logger,
    version: 'test',
    store: { conversations: store.conversations, messages: store.messages, residents: store.residents },
    saveChannelContext: async () => undefined,
    appSessions: store.appSessions,
    events: bus,
    signal: (event, payload) => bus.publish(event, payload),
    media: store.media,
    gauge: () => undefined,
    noteForStaff: (conversationId, text) => delivery.noteForStaff(conversationId, text),
  };
  await channel.start(runtime);
  outbox.start();
  return {
    store,
    bus,
    channel,
    delivery,
    escalation,
    runner,
    inbound,
    async close() {
      await runner.drain(2000);
      await outbox.stop();
      await escalation.settle();
      await bus.close();
    },
  };
}
