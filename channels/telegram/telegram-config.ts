/**
 * Telegram settings: TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_API_ROOT, TELEGRAM_MODE and
 * the optional TELEGRAM_WEBHOOK_URL (when set, the webhook is registered with Telegram at start-up).
 */
import { z } from 'zod';
import { parseChannelEnv, present, trimSlash } from '../shared/channel-config';
import type { Logger } from '../../src/core/logger-port';

export interface TelegramConfig {
  token: string;
  /** Shared secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode). */
  webhookSecret?: string;
  /** Bot API root without trailing slash, e.g. https://api.telegram.org. */
  apiRoot: string;
  /** 'webhook' (production) or 'polling' (development: no public URL needed). */
  mode: 'webhook' | 'polling';
  /** Public https URL of POST /webhooks/telegram to register with setWebhook, if wanted. */
  webhookUrl?: string;
}

const schema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected the token BotFather gave, like 123456:ABC-def'),
  // Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - for secret_token.
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
});

/**
 * Returns the Telegram configuration, or undefined when TELEGRAM_BOT_TOKEN is not set.
 * @throws Error when a value is malformed, or in webhook mode without TELEGRAM_WEBHOOK_SECRET
 *   (an unauthenticated webhook would accept anyone's updates).
 */
export function telegramConfig(env: NodeJS.ProcessEnv, logger: Logger): TelegramConfig | undefined {
  if (!present(env.TELEGRAM_BOT_TOKEN)) return undefined;
  const c = parseChannelEnv('telegram', schema, {
    ...env,
    TELEGRAM_WEBHOOK_SECRET: present(env.TELEGRAM_WEBHOOK_SECRET) ? env.TELEGRAM_WEBHOOK_SECRET : undefined,
    TELEGRAM_API_ROOT: present(env.TELEGRAM_API_ROOT) ? env.TELEGRAM_API_ROOT : undefined,
    TELEGRAM_MODE: present(env.TELEGRAM_MODE) ? env.TELEGRAM_MODE : undefined,
    TELEGRAM_WEBHOOK_URL: present(env.TELEGRAM_WEBHOOK_URL) ? env.TELEGRAM_WEBHOOK_URL : undefined,
  });
  if (c.TELEGRAM_MODE === 'webhook' && !c.TELEGRAM_WEBHOOK_SECRET) {
    // A half-configured channel is a mistake: say so at start-up rather than run an open webhook.
    throw new Error(
      'Invalid telegram channel configuration: TELEGRAM_WEBHOOK_SECRET is required in webhook mode (or set TELEGRAM_MODE=polling)',
    );
  }
  logger.debug({ channel: 'telegram', mode: c.TELEGRAM_MODE }, 'Telegram configured');
  return {
    token: c.TELEGRAM_BOT_TOKEN,
    webhookSecret: c.TELEGRAM_WEBHOOK_SECRET,
    apiRoot: trimSlash(c.TELEGRAM_API_ROOT),
    mode: c.TELEGRAM_MODE,
    webhookUrl: c.TELEGRAM_WEBHOOK_URL,
  };
}
