/**
 * Admin API authentication: a bearer token from configuration (ADMIN_TOKEN) until staff accounts
 * and roles arrive with the console. Compared in constant time; without a token the API is off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errorBody } from '../http/http-errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The actor name recorded in audit and version history for token-authenticated calls. */
export const TOKEN_ACTOR = 'admin-token';

export function adminAuth(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : undefined;
  return (req, res, next) => {
    if (!expected) {
      res
        .status(503)
        .json(errorBody('unavailable', 'The admin API is disabled: set ADMIN_TOKEN to enable it'));
      return;
    }
    const header = req.headers.authorization ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dajeong-admin"');
      res.status(401).json(errorBody('unauthorized', 'Missing or invalid admin token'));
      return;
    }
    res.locals.actor = TOKEN_ACTOR;
    next();
  };
}
