/** Typed errors with stable codes so HTTP layers and workers can react without string matching. */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'unavailable'
  | 'rate_limited'
  | 'channel_send_failed'
  | 'internal';

/** One bad input field, named by its dotted path ('(body)' for the whole input). */
export interface FieldError {
  field: string;
  message: string;
}

/** What an error can tell its handler beyond code and message. */
export interface ErrorDetails {
  /** validation: each bad field. */
  fields?: FieldError[];
  /** How long to wait before trying again (a platform's Retry-After, a rate limit). */
  retryAfterMs?: number;
  /** channel_send_failed: the platform, its HTTP status and a stable reason ('network', 'reply_window_closed'...). */
  platform?: string;
  status?: number;
  reason?: string;
  /** The platform's own error code (e.g. a Graph API error code). */
  platformCode?: number;
  /** The stored message the failure concerns. */
  messageId?: string;
}

export class DajeongError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryable?: boolean; details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DajeongError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }

  get details(): ErrorDetails | undefined {
    return this.options.details;
  }
}

/** True for a DajeongError with code 'conflict' (a unique key lost a race, a record exists). */
export function isConflict(err: unknown): err is DajeongError {
  return err instanceof DajeongError && err.code === 'conflict';
}

/** Thrown by stores when the database cannot be reached; HTTP answers 503. */
export class StoreUnavailableError extends DajeongError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', message, { retryable: true, cause });
    this.name = 'StoreUnavailableError';
  }
}
