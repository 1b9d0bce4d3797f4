/**
 * The resident app API (/api/app/v1): sessions, sending, long-poll reading; the web chat uses it
 * too. Registered through the channel runtime like every other channel's webhooks.
 */
import type { ChannelRuntime, RateLimitRule, RawRequest, RawResponse } from '../../src/core/channel-port';
import { DajeongError } from '../../src/core/errors';
import { newId } from '../../src/core/ids';
import { contentOf, type Message } from '../../src/core/message';
import type { AppSession } from '../../src/core/store-port';
import { parseOr400 } from '../../src/core/validation';
import { header } from '../shared/webhook-utils';
import { authenticate, bearerToken, hashToken, newToken } from './app-auth';
import { LongPollSlots } from './long-poll-slots';
import { appApiOpenApi } from './app-api-openapi';
import { createSessionBody, listMessagesQuery, postMessageBody } from './app-api-schemas';
import { decodeCursor, encodeCursor, toMessageView, visibleMessages } from './message-view';

export const APP_API_PATH = '/api/app/v1';

export interface AppApiSettings {
  /** Longest wait of `GET /messages?wait=`, in seconds. */
  longPollMaxSeconds: number;
  /** How often a waiting long-poll re-reads the store (replies written by another instance). */
  pollIntervalMs?: number;
  /** Open long-poll waits this instance holds at once (LONG_POLL_MAX_WAITS; each token at most 3). */
  longPollMaxWaits?: number;
  /** Sessions unused for longer than this stop working (APP_SESSION_IDLE_DAYS); 0 or unset: never. */
  sessionIdleMs?: number;
  /** Requests per minute one token may make (APP_REQUESTS_PER_MINUTE, default 120). */
  requestsPerMinute?: number;
  /** Sessions one address may open per minute (APP_SESSIONS_PER_MINUTE, default 30). */
  sessionsPerMinute?: number;
}

/** Text, a location or a button: photos go by upload (app-media-api.ts). */
const MAX_BODY_BYTES = 64 * 1024;
const TOO_MANY = 'Too many requests; slow down';
/** Open long-poll waits per instance when not configured. */
const DEFAULT_MAX_OPEN_WAITS = 2000;
/** Store re-reads of a waiting long-poll: only for replies written by another instance without a shared bus. */
const DEFAULT_POLL_INTERVAL_MS = 5000;

/** Requests per minute a token may make, and sessions an address may open, when not configured. */
const DEFAULT_REQUESTS_PER_MINUTE = 120;
const DEFAULT_SESSIONS_PER_MINUTE = 30;
/** Requests per minute and address whose token opens no session, before they get 429. */
const WRONG_TOKENS_PER_MINUTE = 20;

/** Registers the app API's routes on the runtime. */
export function registerAppApi(runtime: ChannelRuntime, settings: AppApiSettings): void {
  const { store, appSessions } = runtime;
  const waits = new LongPollSlots(settings.longPollMaxWaits ?? DEFAULT_MAX_OPEN_WAITS);
  runtime.gauge('dajeong_long_poll_open_waits', 'Open long-poll waits on this instance', () => waits.size);
  const json = (status: number, body: unknown): RawResponse => ({ status, body });
  // Per token when there is one, so residents behind one NAT do not share a budget.
  const perToken = {
    perMinute: settings.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
    bucket: 'app-api-token',
    key: (req: RawRequest) => {
      // The token itself, however the header is spaced.
      const token = bearerToken(header(req, 'authorization'));
      return token ? hashToken(token) : undefined;
    },
    message: TOO_MANY,
  };
  /** The request's session, looked up once per request (the guessing limit needs it first). */
  const sessionByHeaders = new WeakMap<object, Promise<AppSession | undefined>>();
  const sessionOf = (req: RawRequest): Promise<AppSession | undefined> => {
    let session = sessionByHeaders.get(req.headers);
    if (!session) {
      // Only a refused token means "no session": a database outage must answer 503 (try again), not
      // 401, which tells the app to drop its session and start a new conversation.
      session = authenticate(appSessions, header(req, 'authorization'), { idleMs: settings.sessionIdleMs }).catch((err: unknown) => {
        if (err instanceof DajeongError && err.code === 'unauthorized') return undefined;
        throw err;
      });
      sessionByHeaders.set(req.headers, session);
    }
    return session;
  };
  const requireSession = async (req: RawRequest): Promise<AppSession> => {
    const session = await sessionOf(req);
    if (!session) throw new DajeongError('unauthorized', 'Missing or invalid token');
    return session;
  };
  // Guessing tokens: requests whose token opens no session are limited per address; a valid token
  // is never held back by its neighbours' guesses (residents behind one NAT).
  const wrongTokens: RateLimitRule = {
    perMinute: WRONG_TOKENS_PER_MINUTE,
    bucket: 'app-api-wrong-token',
    // A lookup that failed (outage) is no guess: the request goes on to fail with 503.
    skip: (req) => sessionOf(req).then(Boolean, () => true),
    message: 'Too many requests with a wrong token; wait a minute',
  };

  runtime.route('get', `${APP_API_PATH}/openapi.json`, async () => json(200, appApiOpenApi(runtime.version)));

  runtime.route(
    'post',
    `${APP_API_PATH}/sessions`,
    async (req) => {
      const body = parseOr400(createSessionBody, jsonBody(req));
      const channel = body.client ?? 'app';
      // A fresh identity per session: the device id is not a secret, so it must not unlock history.
      const externalUserId = newId();
      // The chat opens now: the welcome is stored before the token is handed out, so the first read shows it.
      const conversation = await runtime.openConversation({ channel, externalUserId, locale: body.locale, greet: true });
      const token = newToken();
      await appSessions.create({
        tokenHash: hashToken(token),
        residentId: conversation.residentId,
        conversationId: conversation.id,
        deviceId: body.deviceId,
        createdAt: new Date(),
      });
      return json(201, { residentId: conversation.residentId, conversationId: conversation.id, token });
    },
    { maxBodyBytes: MAX_BODY_BYTES, rateLimit: { perMinute: settings.sessionsPerMinute ?? DEFAULT_SESSIONS_PER_MINUTE, message: TOO_MANY } },
  );

  runtime.route(
    'post',
    `${APP_API_PATH}/messages`,
    async (req) => {
      // A malformed body is refused before the token is looked at, as a body parser would.
      const raw = jsonBody(req);
      const session = await requireSession(req);
      const body = parseOr400(postMessageBody, raw);
      const conversation = await store.conversations.get(session.conversationId);
      if (!conversation) throw new DajeongError('unauthorized', 'Missing or invalid token');
      const result = await runtime.dispatch({
        channel: conversation.channel,
        externalUserId: conversation.externalUserId,
        channelMessageId: `${conversation.externalUserId}:${body.clientMessageId}`,
        content: contentOf({
          ...(body.text && { text: body.text }),
          ...(body.payload && { payload: body.payload }),
          ...(body.location && { location: body.location }),
          ...(body.images && { images: body.images }),
        }),
      });
      if (result.conversationId && result.conversationId !== session.conversationId) {
        await appSessions.repoint(session.residentId, result.conversationId);
      }
      return json(202, { messageId: result.messageId, duplicate: result.duplicate });
    },
    { maxBodyBytes: MAX_BODY_BYTES, rateLimit: [wrongTokens, perToken] },
  );

  runtime.route(
    'get',
    `${APP_API_PATH}/messages`,
    async (req) => {
      const session = await requireSession(req);
      const query = parseOr400(listMessagesQuery, req.query, 'query');
      const conversationId = session.conversationId;
      const afterSeq = decodeCursor(query.after, conversationId);
      const waitMs = Math.min(query.wait ?? 0, settings.longPollMaxSeconds) * 1000;
      let messages = await visibleMessages(store, conversationId, afterSeq);
      if (messages.length === 0 && waitMs > 0) {
        const slot = waits.acquire(session.tokenHash);
        if (typeof slot === 'string') {
          const why = slot === 'token' ? 'Too many open waits with this token; close one or retry' : 'Too many open waits on this server; retry shortly';
          return {
            status: slot === 'token' ? 429 : 503,
            headers: { 'Retry-After': slot === 'token' ? '1' : '5' },
            body: { error: { code: slot === 'token' ? 'rate_limited' : 'unavailable', message: why } },
          };
        }
        try {
          messages = await waitForMessages(runtime, settings, conversationId, afterSeq, waitMs, req.signal);
        } finally {
          slot();
        }
      }
      const last = messages.at(-1)?.seq ?? afterSeq;
      return json(200, { messages: messages.map(toMessageView), cursor: encodeCursor(conversationId, last) });
    },
    { rateLimit: [wrongTokens, perToken] },
  );
}

/**
 * The JSON body as express.json() would give it: undefined unless the content type is JSON, {}
 * when empty, and a 400 for anything that is not a JSON object or array.
 */
export function jsonBody(req: RawRequest): unknown {
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return undefined;
  const text = req.rawBody.toString('utf8').trim();
  if (!text) return {};
  try {
    if (text.startsWith('{') || text.startsWith('[')) return JSON.parse(text);
  } catch {
    // Falls through to the same answer as any other malformed body.
  }
  throw new DajeongError('validation', 'Malformed JSON body', { details: { fields: [{ field: '(body)', message: 'not valid JSON' }] } });
}

/** Waits for a message event (any instance) or a store poll or the timeout, whichever comes first. */
function waitForMessages(
  runtime: ChannelRuntime,
  settings: AppApiSettings,
  conversationId: string,
  afterSeq: number,
  waitMs: number,
  signal: AbortSignal | undefined,
): Promise<Message[]> {
  return new Promise<Message[]>((resolve, reject) => {
    let done = false;
    const finish = (value: Message[] | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      clearInterval(poll);
      unsubscribe();
      offResync();
      signal?.removeEventListener('abort', onClose);
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const check = () => {
      visibleMessages(runtime.store, conversationId, afterSeq)
        .then((found) => found.length && finish(found))
        .catch((err: Error) => finish(err));
    };
    const unsubscribe = runtime.events.subscribe('message', (m) => {
      if (m.conversationId === conversationId && !m.flags?.internal) check();
    });
    // Events from other instances may have been lost: read the store now rather than at the next poll.
    const offResync = runtime.events.subscribe('resync', check);
    // The client went away: stop waiting.
    const onClose = () => finish([]);
    signal?.addEventListener('abort', onClose);
    const timeout = setTimeout(() => finish([]), waitMs);
    const poll = setInterval(check, settings.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    // A reply stored between the caller's first read and the subscription above woke nobody: read
    // once more now that events are heard, instead of leaving it to the next re-read.
    check();
    // Aborted before the wait began (the service is shutting down): answer without waiting.
    if (signal?.aborted) onClose();
  });
}
