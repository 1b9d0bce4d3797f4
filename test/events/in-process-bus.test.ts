/** The single-instance bus against the EventBus contract. */
import { InProcessEventBus } from '../../src/events/in-process-bus';
import { runEventBusContract } from './event-bus-contract';

runEventBusContract('in-process', { distributed: false, create: async () => new InProcessEventBus() });
