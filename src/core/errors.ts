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

export class DajeongError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryable?: boolean; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DajeongError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

/** Thrown by stores when the database cannot be reached; HTTP answers 503. */
export class StoreUnavailableError extends DajeongError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', message, { retryable: true, cause });
    this.name = 'StoreUnavailableError';
  }
}
