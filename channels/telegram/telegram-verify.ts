/**
 * Telegram webhook authentication: setWebhook(secret_token) makes Telegram send that secret in the
 * X-Telegram-Bot-Api-Secret-Token header of every update. It is a plain shared secret (no HMAC),
 * compared in constant time.
 */
import type { RawRequest } from '../../src/core/channel-port';
import { header, safeEqual } from '../shared/webhook-utils';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** True when the request carries the configured secret token. */
export function verifyTelegramRequest(req: RawRequest, secret: string): boolean {
  return safeEqual(header(req, TELEGRAM_SECRET_HEADER), secret);
}
