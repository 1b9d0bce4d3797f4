/** Bridges channel adapters' framework-free route handlers onto express, with raw body bytes. */
import express, { type Response, type Router } from 'express';
import type { Logger } from '../core/logger-port';
import type { RawResponse, RouteHandler, RouteMethod, RouteOptions } from '../core/channel-port';
import { errorBody } from './http-errors';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from './json-depth';

/** Platforms post small JSON updates; a megabyte leaves room for batched Messenger entries. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function send(res: Response, result: RawResponse): void {
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  res.status(result.status);
  if (result.body === undefined) res.end();
  else if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) res.send(result.body);
  else res.json(result.body);
}

export function channelRoute(router: Router, method: RouteMethod, path: string, handler: RouteHandler, logger: Logger, options: RouteOptions = {}): void {
  router[method](
    path,
    (req, res, next) => {
      // Refused on the headers alone: the body is never read or parsed.
      const refused = options.precheck?.(req.headers);
      if (!refused) return next();
      res.setHeader('Connection', 'close');
      send(res, refused);
    },
    express.raw({ type: () => true, limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
    async (req, res, next) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (jsonNestsDeeperThan(rawBody)) {
        res.status(400).json(errorBody('validation', `JSON body nested more than ${MAX_JSON_DEPTH} levels deep`));
        return;
      }
      try {
        const result = await handler({
          method: req.method,
          path: req.path,
          params: req.params as Record<string, string>,
          query: req.query as Record<string, string | string[] | undefined>,
          headers: req.headers,
          rawBody,
          ip: req.ip,
        });
        send(res, result);
      } catch (err) {
        logger.error({ err, path }, 'channel route failed');
        next(err);
      }
    },
  );
}
