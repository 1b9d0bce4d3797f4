/**
 * A request id for every HTTP request, kept in async context so every log line written while the
 * request is handled (by any module, through the one logger) carries it. An id from a proxy's
 * `X-Request-Id` is kept when it looks like one; otherwise a new one is made. The answer carries it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const context = new AsyncLocalStorage<{ requestId: string }>();
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The id of the request being handled here, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && ACCEPTED_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    context.run({ requestId }, next);
  };
}
