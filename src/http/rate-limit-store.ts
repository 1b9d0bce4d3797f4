/**
 * Where express-rate-limit keeps its counts: in Redis (rate-limit-redis) when REDIS_URL is set, so
 * every instance counts against one limit; in each process's memory otherwise (one instance).
 *
 *   const stores = createRateLimitStores({ redisUrl: config.REDIS_URL, logger });
 *   rateLimit({ windowMs: 60_000, limit: 20, ...stores.forLimiter('console-login') });
 *
 * While Redis is unreachable a limiter lets requests through (and logs, at most every 10 s) rather
 * than answering 500 to everyone: availability of the center beats a brief lapse in throttling, and
 * the lockouts that matter most (console login failures) are counted in the database as well.
 */
import { MemoryStore, type Options as RateLimitOptions } from 'express-rate-limit';
import { Redis, type RedisOptions } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '../core/logger-port';

/** The options of one limiter that decide where its counts live and what happens on store errors. */
export type LimiterStoreOptions = Pick<RateLimitOptions, 'store' | 'passOnStoreError' | 'logger'>;

export interface RateLimitStores {
  readonly kind: 'redis' | 'memory';
  /**
   * Options to spread into one rateLimit({...}). `name` must differ per limiter: it separates their
   * counts (Redis key prefix), and express-rate-limit refuses one store shared by two limiters.
   */
  forLimiter(name: string): LimiterStoreOptions;
  /** Resolves once counts can be shared (Redis connected; at once in memory). Until then requests pass. */
  ready(): Promise<void>;
  /** Closes the Redis connection (no-op in memory). */
  close(): Promise<void>;
}

export interface RateLimitStoreOptions {
  /** REDIS_URL; unset = memory stores. */
  redisUrl?: string;
  logger?: Logger;
  /** Key prefix in Redis; deployments sharing one Redis use different ones. Default 'dajeong:rl:'. */
  keyPrefix?: string;
  /** Extra ioredis options (tests: faster reconnects). */
  redis?: RedisOptions;
}

/**
 * rate-limit-redis loads its Lua scripts once at start-up; if Redis is down then, it would keep the
 * failed load forever and never count again. This store reloads a script whose load failed.
 */
class ReloadingRedisStore extends RedisStore {
  override async init(options: RateLimitOptions): Promise<void> {
    this.windowMs = options.windowMs;
    this.incrementScriptSha = this.loadIncrementScript();
    this.getScriptSha = this.loadGetScript();
    // Failures are retried on use (below); an unobserved rejection here would only be noise.
    this.incrementScriptSha.catch(() => undefined);
    this.getScriptSha.catch(() => undefined);
  }

  private reloadFailedScripts(): void {
    this.incrementScriptSha = this.incrementScriptSha.catch(() => this.loadIncrementScript());
    this.getScriptSha = this.getScriptSha.catch(() => this.loadGetScript());
  }

  override increment(key: string) {
    this.reloadFailedScripts();
    return super.increment(key);
  }

  override get(key: string) {
    this.reloadFailedScripts();
    return super.get(key);
  }
}

/** express-rate-limit's logger interface over ours, quiet enough for an outage (one line per 10 s). */
function limiterLogger(logger: Logger | undefined): RateLimitOptions['logger'] {
  let last = 0;
  const throttled = (level: 'warn' | 'error') => (err: unknown, message?: string) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    logger?.[level]({ err }, message ?? 'rate limiter store problem');
  };
  return { warn: throttled('warn'), error: throttled('error') };
}

/** Creates the stores for every limiter of this process. */
export function createRateLimitStores(options: RateLimitStoreOptions = {}): RateLimitStores {
  const logger = limiterLogger(options.logger);
  if (!options.redisUrl) {
    return {
      kind: 'memory',
      forLimiter: () => ({ store: new MemoryStore(), passOnStoreError: true, logger }),
      ready: async () => undefined,
      close: async () => undefined,
    };
  }
  const prefix = options.keyPrefix ?? 'dajeong:rl:';
  const client = new Redis(options.redisUrl, {
    ...options.redis,
    // Fail fast while Redis is away (the request then passes) instead of queueing every request.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A stalled Redis must not hold requests: after 1 s the limiter lets the request through.
    commandTimeout: 1_000,
    socketTimeout: 5_000,
    connectionName: 'dajeong-rate-limits',
  });
  client.on('error', (err: Error) => logger.warn(err, 'rate limit store connection error'));
  const sendCommand = (...args: string[]) => client.call(args[0]!, ...args.slice(1)) as Promise<RedisReply>;
  const connected = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  const names = new Set<string>();
  return {
    kind: 'redis',
    forLimiter(name: string) {
      if (names.has(name)) throw new Error(`rate limiter name ${name} is used twice`);
      names.add(name);
      return { store: new ReloadingRedisStore({ sendCommand, prefix: `${prefix}${name}:` }), passOnStoreError: true, logger };
    },
    ready: () => connected,
    close: async () => {
      client.disconnect();
    },
  };
}
