/**
 * Test support: a loopback HTTP server that platform fakes build on. It records every request
 * with its exact bytes, lets a test script failures (5xx, 429, ...) for the next matching calls,
 * and lets a test wait for a request to arrive. Never used in production code.
 */
import { EventEmitter } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body, when it is JSON. */
  body: unknown;
  at: Date;
  /** How the fake answered (set once handled). */
  reply?: FakeReply;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON, strings as text, Buffers as bytes. */
  body?: unknown;
}

export type FakeHandler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;
export type RequestMatcher = string | RegExp | ((req: RecordedRequest) => boolean);

function matches(matcher: RequestMatcher, req: RecordedRequest): boolean {
  if (typeof matcher === 'function') return matcher(req);
  if (typeof matcher === 'string') return req.path.endsWith(matcher);
  return matcher.test(req.path);
}

export class FakeHttpServer {
  /** Every request received, oldest first (including ones answered with a scripted failure). */
  readonly requests: RecordedRequest[] = [];
  private readonly scripted: { matcher: RequestMatcher; reply: FakeReply }[] = [];
  private readonly events = new EventEmitter();
  private readonly server: http.Server;
  private base = '';

  constructor(handler: FakeHandler) {
    this.events.setMaxListeners(0);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks), handler).then((reply) => {
          const isText = typeof reply.body === 'string';
          const isBytes = Buffer.isBuffer(reply.body);
          const payload =
            reply.body === undefined ? '' : isText || isBytes ? (reply.body as string | Buffer) : JSON.stringify(reply.body);
          res.writeHead(reply.status, {
            'content-type': isBytes ? 'application/octet-stream' : isText ? 'text/plain; charset=utf-8' : 'application/json',
            ...reply.headers,
          });
          res.end(payload);
        });
      });
    });
  }

  /** Starts listening on a free loopback port; resolves with the base URL (no trailing slash). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  get url(): string {
    return this.base;
  }

  /** Answers the next matching requests with these replies, one each, before normal handling. */
  failNext(matcher: RequestMatcher, ...replies: FakeReply[]): void {
    for (const reply of replies) this.scripted.push({ matcher, reply });
  }

  /** Drops every scripted reply not used yet (the platform "recovers"). */
  clearScripted(): void {
    this.scripted.length = 0;
  }

  /** Resolves with the first request (already received or arriving later) that matches. */
  waitFor(matcher: RequestMatcher, timeoutMs = 10_000, count = 1): Promise<RecordedRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.requests.filter((r) => matches(matcher, r));
        if (found.length >= count) {
          clearTimeout(timer);
          this.events.off('request', check);
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.events.off('request', check);
        reject(new Error(`no request matching ${String(matcher)} (x${count}) within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.events.on('request', check);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, rawBody: Buffer, handler: FakeHandler): Promise<FakeReply> {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown;
    try {
      body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body,
      at: new Date(),
    };
    this.requests.push(recorded);
    let reply: FakeReply;
    const i = this.scripted.findIndex((s) => matches(s.matcher, recorded));
    if (i >= 0) reply = this.scripted.splice(i, 1)[0]!.reply;
    else {
      try {
        reply = await handler(recorded);
      } catch (err) {
        reply = { status: 500, body: { error: String(err) } };
      }
    }
    recorded.reply = reply;
    this.events.emit('request');
    return reply;
  }
}
