/** Maps MongoDB driver and mongoose errors onto the port's typed errors. */
import mongoose from 'mongoose';
import { DajeongError, StoreUnavailableError } from '../../core/errors';

const { mongo } = mongoose;

// Errors meaning "the server cannot be reached right now"; the driver reconnects on its own.
const CONNECTIVITY: readonly (abstract new (...args: never[]) => Error)[] = [
  mongo.MongoNetworkError,
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoClientClosedError,
  mongo.MongoServerClosedError,
];
const CONNECTIVITY_NAMES = new Set(['MongooseServerSelectionError', 'MongoPoolClearedError']);
// The driver can pass a socket's own error on unwrapped (a write to a reset link rejects with EPIPE).
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH']);
// mongoose throws a plain MongooseError for commands on a connection that is not open.
const NOT_CONNECTED = /before initial connection is complete|Connection was force closed|client was closed/i;

/**
 * True when a write lost on a unique index: E11000, or FerretDB v1's answer for *updates*, which
 * enforces the index but reports code 1 (InternalError) "UNIQUE constraint failed".
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return (
    code === 11000 ||
    (code === 1 && typeof message === 'string' && message.includes('UNIQUE constraint failed'))
  );
}

/** Translates an error for callers of the port; unknown errors pass through unchanged. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof DajeongError || typeof err !== 'object' || err === null) return err;
  // Duck-typed: a socket error may come from another realm (Node's internals under a test VM).
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return new StoreUnavailableError(`database unavailable: ${String(message)}`, err);
  if (!(err instanceof Error)) return err;
  if (CONNECTIVITY.some((type) => err instanceof type) || CONNECTIVITY_NAMES.has(err.name)) {
    return new StoreUnavailableError(`database unavailable: ${err.message}`, err);
  }
  if (err instanceof mongoose.Error && NOT_CONNECTED.test(err.message)) {
    return new StoreUnavailableError(`database unavailable: ${err.message}`, err);
  }
  if (
    err instanceof mongoose.Error.ValidationError ||
    err instanceof mongoose.Error.CastError ||
    err instanceof mongoose.Error.StrictModeError
  ) {
    return new DajeongError('validation', err.message, { cause: err });
  }
  return err;
}

/**
 * Wraps every method of a sub-store so rejections reach callers as typed errors, instead of
 * repeating try/catch in each method.
 */
export function withStoreErrors<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(obj, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => Promise.reject(toStoreError(err)))
            : result;
        } catch (err) {
          throw toStoreError(err);
        }
      };
    },
  });
}
