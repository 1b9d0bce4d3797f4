/**
 * Turns platform HTTP failures into the core's DajeongError('channel_send_failed') with the
 * `retryable` flag and `details.retryAfterMs` the outbox worker uses for its backoff.
 */
import { DajeongError, type ErrorDetails } from '../../src/core/errors';

/** Extra facts kept with a send failure (visible in logs and the outbox's lastError). */
export type SendFailureDetails = ErrorDetails & { platform: string };

/** Facts a caller adds to a failure. */
type FailureExtras = Pick<ErrorDetails, 'retryAfterMs' | 'reason' | 'status' | 'messageId' | 'platformCode'>;

/** 408, 425, 429 and every 5xx are worth retrying; other 4xx mean the request itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Parses an HTTP Retry-After value (delta-seconds or an HTTP date) into milliseconds from now.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A failure answered by the platform with an HTTP status. */
export function sendFailure(
  platform: string,
  status: number,
  detail: string,
  extra: FailureExtras & { retryable?: boolean } = {},
): DajeongError {
  const { retryable = isRetryableStatus(status), ...rest } = extra;
  const details: SendFailureDetails = { platform, status, ...rest };
  return new DajeongError('channel_send_failed', `${platform} send failed (${status}): ${detail}`, {
    retryable,
    details,
  });
}

/** The platform could not be reached at all (DNS, refused, reset, timeout): always retryable. */
export function networkFailure(platform: string, err: unknown): DajeongError {
  const reason = err instanceof Error ? err.message : String(err);
  return new DajeongError('channel_send_failed', `${platform} unreachable: ${reason}`, {
    retryable: true,
    cause: err,
    details: { platform, reason: 'network' } satisfies SendFailureDetails,
  });
}

/** A reply the platform will never accept as it is (window closed, user blocked the bot...). */
export function permanentFailure(
  platform: string,
  message: string,
  reason: string,
  extra: FailureExtras = {},
): DajeongError {
  return new DajeongError('channel_send_failed', `${platform}: ${message}`, {
    retryable: false,
    details: { platform, reason, ...extra } satisfies SendFailureDetails,
  });
}

/** True for errors this module produced (so adapters rethrow them unchanged). */
export function isSendFailure(err: unknown): err is DajeongError {
  return err instanceof DajeongError && err.code === 'channel_send_failed';
}
