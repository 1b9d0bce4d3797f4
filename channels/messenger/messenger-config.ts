/**
 * Facebook Messenger settings: MESSENGER_PAGE_TOKEN, MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN,
 * MESSENGER_API_BASE (default https://graph.facebook.com) and MESSENGER_API_VERSION.
 */
import { z } from 'zod';
import { allOrNone, parseChannelEnv, trimSlash, withoutEmpty } from '../shared/channel-config';

export interface MessengerConfig {
  pageToken: string;
  appSecret: string;
  verifyToken: string;
  apiBase: string;
  apiVersion: string;
}

const REQUIRED = ['MESSENGER_PAGE_TOKEN', 'MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN'] as const;

const schema = z.object({
  MESSENGER_PAGE_TOKEN: z.string().min(10),
  MESSENGER_APP_SECRET: z.string().min(8),
  MESSENGER_VERIFY_TOKEN: z.string().min(8),
  MESSENGER_API_BASE: z.string().url().default('https://graph.facebook.com'),
  MESSENGER_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'like v23.0')
    .default('v23.0'),
});

/**
 * The Messenger configuration, or undefined when none of its required variables is set.
 * @throws Error when only some are set or a value is malformed.
 */
export function messengerConfig(env: NodeJS.ProcessEnv): MessengerConfig | undefined {
  if (!allOrNone('messenger', env, REQUIRED)) return undefined;
  const c = parseChannelEnv('messenger', schema, withoutEmpty(env));
  return {
    pageToken: c.MESSENGER_PAGE_TOKEN,
    appSecret: c.MESSENGER_APP_SECRET,
    verifyToken: c.MESSENGER_VERIFY_TOKEN,
    apiBase: trimSlash(c.MESSENGER_API_BASE),
    apiVersion: c.MESSENGER_API_VERSION,
  };
}
