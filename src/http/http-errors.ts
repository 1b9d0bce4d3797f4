/** Maps errors to JSON answers: `{error: {code, message, fields?}}` with the right status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type ZodType } from 'zod';
import { DajeongError, type ErrorCode } from '../core/errors';
import type { Logger } from '../core/logger-port';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  channel_send_failed: 502,
  internal: 500,
};

/** What a client is told about a server-side failure: the kind, never the details. */
const SERVER_SIDE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  unavailable: 'The service is temporarily unavailable; try again shortly.',
  channel_send_failed: 'A messaging platform did not accept the message; it will be retried.',
  internal: 'Internal error',
};

export interface FieldError {
  field: string;
  message: string;
}

export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

/** Parses with a zod schema or throws a validation error naming each bad field. */
export function parseOr400<T>(schema: ZodType<T>, value: unknown, what = 'body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = fieldErrors(parsed.error);
  throw new DajeongError('validation', `Invalid ${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, {
    details: { fields },
  });
}

export function errorBody(code: string, message: string, fields?: FieldError[]) {
  return { error: fields ? { code, message, fields } : { code, message } };
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    // express.json() raises these for malformed or oversized bodies.
    const bodyError = err as { type?: string; status?: number; message?: string };
    if (bodyError.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('validation', 'Malformed JSON body', [{ field: '(body)', message: 'not valid JSON' }]));
      return;
    }
    if (bodyError.type === 'entity.too.deep') {
      res.status(400).json(errorBody('validation', 'JSON body nested too deeply', [{ field: '(body)', message: bodyError.message ?? 'nested too deeply' }]));
      return;
    }
    if (bodyError.type === 'entity.too.large') {
      const limit = (bodyError as { limit?: number }).limit;
      res.status(413).json(errorBody('validation', limit ? `Request body too large: at most ${limit} bytes here` : 'Request body too large'));
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json(errorBody('validation', 'Invalid request', fieldErrors(err)));
      return;
    }
    if (err instanceof DajeongError) {
      const status = STATUS[err.code];
      const fields = (err.options.details as { fields?: FieldError[] } | undefined)?.fields;
      if (err.code === 'unavailable') res.setHeader('Retry-After', '5');
      if (status >= 500) {
        // Server-side messages name databases, hosts and ports: they go to the log, not the client.
        logger.error({ err, path: req.path }, err.message);
        res.status(status).json(errorBody(err.code, SERVER_SIDE_MESSAGES[err.code] ?? SERVER_SIDE_MESSAGES.internal!));
        return;
      }
      res.status(status).json(errorBody(err.code, err.message, fields));
      return;
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json(errorBody('internal', 'Internal error'));
  };
}
