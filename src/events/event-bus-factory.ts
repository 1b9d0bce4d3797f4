/**
 * Chooses the event bus from configuration: Redis when REDIS_URL is set (several instances), the
 * in-process bus otherwise (one instance). The composition root calls this once:
 *
 *   const bus = await createEventBus({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger, onGap });
 */
import type { EventBus } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import { InProcessEventBus } from './in-process-bus';
import { RedisEventBus } from './redis-event-bus';

export interface EventBusChoice {
  redisUrl?: string;
  /** REDIS_KEY_PREFIX; the stream is `<prefix>events`. */
  keyPrefix?: string;
  logger?: Logger;
  /** See RedisEventBusOptions.onGap: consumers should catch up from the store. */
  onGap?: (reason: string) => void;
  /** How long start-up waits for Redis before going on (the bus keeps reconnecting). Default 5 s. */
  readyTimeoutMs?: number;
}

/** The bus for this configuration; with Redis, waits (bounded) until it reads the stream. */
export async function createEventBus(choice: EventBusChoice): Promise<EventBus> {
  if (!choice.redisUrl) return new InProcessEventBus(choice.logger);
  const bus = new RedisEventBus({
    url: choice.redisUrl,
    streamKey: `${choice.keyPrefix ?? 'dajeong:'}events`,
    logger: choice.logger,
    onGap: choice.onGap,
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    bus.ready().then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), choice.readyTimeoutMs ?? 5_000);
    }),
  ]);
  clearTimeout(timer);
  if (!waited) choice.logger?.warn('redis is not reachable yet; events stay on this instance until it is');
  return bus;
}
