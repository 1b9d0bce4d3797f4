/**
 * X (Twitter) DM settings: X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET,
 * X_API_BASE (default https://api.x.com) and X_ENABLED. The X API is billed per use, so operators
 * can switch the channel off with X_ENABLED=false without removing the credentials.
 */
import { z } from 'zod';
import type { Logger } from '../../src/core/logger-port';
import { allOrNone, parseChannelEnv, trimSlash, withoutEmpty } from '../shared/channel-config';

export interface XConfig {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  apiBase: string;
}

const REQUIRED = ['X_CONSUMER_KEY', 'X_CONSUMER_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;

const schema = z.object({
  X_CONSUMER_KEY: z.string().min(1),
  X_CONSUMER_SECRET: z.string().min(8),
  X_ACCESS_TOKEN: z.string().min(1),
  X_ACCESS_SECRET: z.string().min(1),
  X_API_BASE: z.string().url().default('https://api.x.com'),
  X_ENABLED: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
});

/**
 * The X configuration, or undefined when its credentials are not set or X_ENABLED is false.
 * @throws Error when only some credentials are set or a value is malformed.
 */
export function xConfig(env: NodeJS.ProcessEnv, logger: Logger): XConfig | undefined {
  if (!allOrNone('x', env, REQUIRED)) return undefined;
  const c = parseChannelEnv('x', schema, withoutEmpty(env));
  if (['false', '0', 'no'].includes(c.X_ENABLED)) {
    logger.info(
      { channel: 'x' },
      'X channel switched off by X_ENABLED=false; pending X replies stay in the outbox',
    );
    return undefined;
  }
  return {
    consumerKey: c.X_CONSUMER_KEY,
    consumerSecret: c.X_CONSUMER_SECRET,
    accessToken: c.X_ACCESS_TOKEN,
    accessSecret: c.X_ACCESS_SECRET,
    apiBase: trimSlash(c.X_API_BASE),
  };
}
