/** Bridges channel adapters' framework-free route handlers onto express, with raw body bytes. */
import express, { type Router } from 'express';
import type { Logger } from '../core/logger-port';
import type { RouteHandler, RouteMethod } from '../core/channel-port';

export function channelRoute(router: Router, method: RouteMethod, path: string, handler: RouteHandler, logger: Logger): void {
  router[method](path, express.raw({ type: () => true, limit: '5mb' }), async (req, res, next) => {
    try {
      const result = await handler({
        method: req.method,
        path: req.path,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string | string[] | undefined>,
        headers: req.headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        ip: req.ip,
      });
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      res.status(result.status);
      if (result.body === undefined) res.end();
      else if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) res.send(result.body);
      else res.json(result.body);
    } catch (err) {
      logger.error({ err, path }, 'channel route failed');
      next(err);
    }
  });
}
