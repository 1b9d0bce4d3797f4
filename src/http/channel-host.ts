/**
 * The HTTP side of the channel runtime: adapters' framework-free route handlers bridged onto
 * express (raw body bytes for signatures, optional body limit and rate limit, an abort signal when
 * the client leaves), static folders with the residents' CSP, and WebSocket upgrades by path.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import helmet from 'helmet';
import type { RateLimitRule, RawRequest, RawResponse, RouteHandler, RouteMethod, RouteOptions, UpgradeHandler } from '../core/channel-port';
import { DajeongError } from '../core/errors';
import type { Logger } from '../core/logger-port';
import { errorBody } from './http-errors';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from './json-depth';

/** Platforms post small JSON updates; a megabyte leaves room for batched Messenger entries. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ChannelHostOptions {
  logger: Logger;
  /** Sites allowed to embed residents' pages (CSP frame-ancestors). */
  frameAncestors: string[];
}

export class ChannelHost {
  /** Mounted by the composition root before the JSON body parser (webhooks need raw bytes). */
  readonly router: Router = express.Router();
  private readonly upgrades = new Map<string, UpgradeHandler>();
  /** Rate limiters shared by routes naming the same bucket. */
  private readonly buckets = new Map<string, RateLimitRequestHandler>();
  /** Aborted on shutdown: every request's signal follows it. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: ChannelHostOptions) {
    // One listener per request under way (removed when it ends): thousands of long-polls are normal.
    setMaxListeners(0, this.stopping.signal);
  }

  route(method: RouteMethod, path: string, handler: RouteHandler, options: RouteOptions = {}): void {
    const limiters = (options.rateLimit ? [options.rateLimit].flat() : []).map((rule) => this.limiter(rule));
    const body = options.streamBody ? [] : [express.raw({ type: () => true, limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES })];
    const precheck = (req: Request, res: Response, next: NextFunction) => {
      // Refused on the headers alone: the body is never read or parsed.
      const refused = options.precheck?.(req.headers);
      if (!refused) return next();
      res.setHeader('Connection', 'close');
      send(res, refused);
    };
    this.router[method](path, ...limiters, precheck, ...body, async (req, res, next) => {
      const raw = rawRequest(req);
      if (jsonNestsDeeperThan(raw.rawBody)) {
        res.status(400).json(errorBody('validation', `JSON body nested more than ${MAX_JSON_DEPTH} levels deep`));
        return;
      }
      const aborted = new AbortController();
      const onStop = () => aborted.abort();
      if (this.stopping.signal.aborted) aborted.abort();
      else this.stopping.signal.addEventListener('abort', onStop, { once: true });
      // 'close' also fires after a finished answer: nothing waits on the signal then (the handler
      // has returned), and an abort would build a DOMException with its stack for every request.
      res.on('close', () => {
        this.stopping.signal.removeEventListener('abort', onStop);
        if (!res.writableFinished) aborted.abort();
      });
      try {
        send(res, await handler({ ...raw, signal: aborted.signal, ...(options.streamBody && { stream: req }) }));
      } catch (err) {
        // DajeongErrors are answers (400, 401...) the error handler writes and logs when they are 5xx.
        if (!(err instanceof DajeongError)) this.options.logger.error({ err, path }, 'channel route failed');
        next(err);
      }
    });
  }

  /** Serves a folder with the residents' page policy (embeddable by the configured sites). */
  serveStatic(urlPath: string, dir: string): void {
    const csp = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:', 'https:'],
          frameAncestors: this.options.frameAncestors,
        },
      },
      frameguard: false,
      hsts: false,
      // embed.js is loaded by other sites' pages.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });
    this.router.use(urlPath, csp, express.static(dir, { index: 'index.html', maxAge: '5m' }));
  }

  upgrade(path: string, handler: UpgradeHandler): void {
    if (this.upgrades.has(path)) throw new Error(`WebSocket path ${path} registered twice`);
    this.upgrades.set(path, handler);
  }

  /** Hands the upgrade to the channel registered for its path; false when none is. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const handler = this.upgrades.get(req.url?.split('?')[0] ?? '');
    if (!handler) return false;
    handler.handleUpgrade(req, socket, head);
    return true;
  }

  /** Shutdown: requests waiting for something (long-polls) answer now, and new ones do not wait. */
  stopWaiting(): void {
    this.stopping.abort();
  }

  /** Closes every channel's WebSocket connections. */
  async close(): Promise<void> {
    for (const handler of this.upgrades.values()) await handler.close();
  }

  private limiter(options: RateLimitRule): RateLimitRequestHandler {
    const existing = options.bucket ? this.buckets.get(options.bucket) : undefined;
    if (existing) return existing;
    const limiter = rateLimit({
      windowMs: 60_000,
      limit: options.perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req: Request) => options.key?.(rawRequest(req)) ?? ipKeyGenerator(req.ip ?? ''),
      ...(options.skip && { skip: (req: Request) => options.skip!(rawRequest(req)) }),
      message: { error: { code: 'rate_limited', message: options.message } },
    });
    if (options.bucket) this.buckets.set(options.bucket, limiter);
    return limiter;
  }
}

function send(res: Response, result: RawResponse): void {
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  res.status(result.status);
  if (result.body === undefined) res.end();
  else if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) res.send(result.body);
  else res.json(result.body);
}

/** The framework-free view of an express request (body bytes empty until the raw parser ran). */
function rawRequest(req: Request): RawRequest {
  return {
    method: req.method,
    path: req.path,
    params: req.params as Record<string, string>,
    query: req.query as Record<string, string | string[] | undefined>,
    headers: req.headers,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    ip: req.ip,
  };
}
