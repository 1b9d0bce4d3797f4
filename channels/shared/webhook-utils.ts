/** Small helpers every webhook handler needs: headers, constant-time comparison, JSON bodies. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelRuntime, RawRequest, RawResponse } from '../../src/core/channel-port';
import type { Logger } from '../../src/core/logger-port';
import type { InboundMessage } from '../../src/core/message';
import type { ZodType } from 'zod';

/** One header value (first of a repeated header), or undefined. */
export function header(req: RawRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** One query value (first of a repeated parameter), or undefined. */
export function queryValue(req: RawRequest, name: string): string | undefined {
  const value = req.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Compares two secrets in constant time, whatever their lengths (hashing first hides the length
 * and satisfies timingSafeEqual's equal-length rule). False when either is missing.
 */
export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** HMAC of the exact body bytes with the given algorithm and encoding. */
export function hmac(
  algorithm: 'sha1' | 'sha256',
  key: string,
  data: Buffer | string,
  encoding: 'hex' | 'base64',
): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

/** Parses the raw body as JSON; undefined when it is not valid JSON. */
export function parseJsonBody(req: RawRequest): unknown {
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The project's JSON error shape: {error: {code, message}}. */
export function errorResponse(status: number, code: string, message: string): RawResponse {
  return { status, body: { error: { code, message } } };
}

/** What a platform parser returns per event: a canonical message, or why the event is ignored. */
export type ParsedEvent = { inbound: InboundMessage } | { skip: string };

/** A signed push webhook (Messenger, X): how to check its signature, read its body and answer it. */
export interface SignedWebhook<T> {
  /** Names the call in logs, e.g. "a Messenger webhook call". */
  call: string;
  /** The platform's name in event logs. */
  platform: string;
  /** The signature header, named in the 401 answer. */
  signatureHeader: string;
  verify(req: RawRequest): boolean;
  /** The body's schema and what a body must be, named in the 400 answer ("a Messenger webhook payload"). */
  schema: ZodType<T>;
  payload: string;
  toCanonical(body: T): Iterable<ParsedEvent>;
  /** The platform's expected answer once every event is stored. */
  ok: RawResponse;
}

/**
 * The skeleton every signed push webhook shares: a wrong signature is a 401, a body that is not
 * the platform's payload a 400, then each event is stored (503 when one cannot be, so the
 * platform redelivers) and the platform gets its answer.
 */
export async function receiveSignedEvents<T>(req: RawRequest, hook: SignedWebhook<T>, runtime: ChannelRuntime, log: Logger): Promise<RawResponse> {
  if (!hook.verify(req)) {
    log.warn({ ip: req.ip }, `rejected ${hook.call}: missing or wrong ${hook.signatureHeader}`);
    return errorResponse(401, 'unauthorized', `missing or wrong ${hook.signatureHeader}`);
  }
  const body = hook.schema.safeParse(parseJsonBody(req));
  if (!body.success) {
    log.warn(`rejected ${hook.call}: not ${hook.payload}`);
    return errorResponse(400, 'validation', `body is not ${hook.payload}`);
  }
  return (await dispatchEvents(runtime, hook.toCanonical(body.data), log, hook.platform)) ?? hook.ok;
}

/**
 * Stores each parsed event through the runtime. Returns a 503 answer when one cannot be stored,
 * so the platform redelivers the batch (already stored events are deduplicated then), or
 * undefined when all were stored.
 */
export async function dispatchEvents(
  runtime: ChannelRuntime,
  events: Iterable<ParsedEvent>,
  log: Logger,
  platform: string,
): Promise<RawResponse | undefined> {
  for (const parsed of events) {
    if ('skip' in parsed) {
      log.debug({ reason: parsed.skip }, `${platform} event ignored`);
      continue;
    }
    try {
      await runtime.dispatch(parsed.inbound);
    } catch (err) {
      log.error({ err }, `could not store a ${platform} event; the platform will redeliver it`);
      return errorResponse(503, 'unavailable', 'try again later');
    }
  }
  return undefined;
}
