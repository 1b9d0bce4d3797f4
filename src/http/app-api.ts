/** The resident app API (/api/app/v1): sessions, sending, long-poll reading. Web chat uses it too. */
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { DajeongError } from '../core/errors';
import { newId } from '../core/ids';
import type { Message } from '../core/message';
import type { AppSession, Store } from '../core/store-port';
import type { Gateway } from '../turn/gateway';
import type { MessageBus } from '../turn/message-bus';
import { authenticate, bearerToken, hashToken, newToken } from './app-auth';
import { LongPollSlots } from './long-poll-slots';
import { appApiOpenApi } from './app-api-openapi';
import { createSessionBody, listMessagesQuery, postMessageBody } from './app-api-schemas';
import { errorBody, parseOr400 } from './http-errors';
import { decodeCursor, encodeCursor, toMessageView } from './message-view';

export interface AppApiDeps {
  store: Store;
  gateway: Gateway;
  bus: MessageBus;
  longPollMaxSeconds: number;
  version: string;
  /** How often a waiting long-poll re-reads the store (replies written by another instance). */
  pollIntervalMs?: number;
  /** Bounds on open long-poll waits on this instance (LONG_POLL_MAX_WAITS). */
  waits?: LongPollSlots;
  /** Sessions unused for longer than this stop working (APP_SESSION_IDLE_DAYS); 0 or unset: never. */
  sessionIdleMs?: number;
}

/** Open long-poll waits per instance when not configured. */
const DEFAULT_MAX_OPEN_WAITS = 2000;
/** Store re-reads of a waiting long-poll: only for replies written by another instance without a shared bus. */
const DEFAULT_POLL_INTERVAL_MS = 5000;

/** Requests per minute and address whose token opens no session, before they get 429. */
const WRONG_TOKENS_PER_MINUTE = 20;

/** Messages of a conversation the resident may see, after a seq. */
export async function visibleMessages(store: Store, conversationId: string, afterSeq: number): Promise<Message[]> {
  const messages = await store.messages.listByConversation(conversationId, { afterSeq, limit: 200 });
  return messages.filter((m) => !m.flags?.internal);
}

export function appApiRouter(deps: AppApiDeps): Router {
  const { store, gateway } = deps;
  const router = Router();
  const waits = deps.waits ?? new LongPollSlots(DEFAULT_MAX_OPEN_WAITS);
  const limitJson = { code: 'rate_limited', message: 'Too many requests; slow down' };

  router.get('/openapi.json', (_req, res) => {
    res.json(appApiOpenApi(deps.version));
  });

  router.post(
    '/sessions',
    rateLimit({ windowMs: 60_000, limit: 30, standardHeaders: 'draft-8', legacyHeaders: false, message: { error: limitJson } }),
    async (req, res) => {
      const body = parseOr400(createSessionBody, req.body);
      const channel = body.client ?? 'app';
      // A fresh identity per session: the device id is not a secret, so it must not unlock history.
      const externalUserId = newId();
      const resident = await store.residents.findOrCreateByIdentity({ channel, externalUserId }, { locale: body.locale });
      const conversation = await store.conversations.create({
        residentId: resident.id,
        channel,
        externalUserId,
        language: body.locale?.slice(0, 2).toLowerCase() ?? 'ko',
        state: 'bot',
        priority: 'normal',
      });
      const token = newToken();
      await store.appSessions.create({
        tokenHash: hashToken(token),
        residentId: resident.id,
        conversationId: conversation.id,
        deviceId: body.deviceId,
        createdAt: new Date(),
      });
      res.status(201).json({ residentId: resident.id, conversationId: conversation.id, token });
    },
  );

  /** The request's session, looked up once per request (the guessing limit needs it first). */
  const sessionOf = (req: Request): Promise<AppSession | undefined> => {
    const memo = req as Request & { appSession?: Promise<AppSession | undefined> };
    memo.appSession ??= authenticate(store, req.headers.authorization, { idleMs: deps.sessionIdleMs }).catch(() => undefined);
    return memo.appSession;
  };
  const requireSession = async (req: Request): Promise<AppSession> => {
    const session = await sessionOf(req);
    if (!session) throw new DajeongError('unauthorized', 'Missing or invalid token');
    return session;
  };
  // Guessing tokens: requests whose token opens no session are limited per address; a valid token
  // is never held back by its neighbours' guesses (residents behind one NAT).
  const wrongTokens = rateLimit({
    windowMs: 60_000,
    limit: WRONG_TOKENS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? ''),
    skip: async (req: Request) => Boolean(await sessionOf(req)),
    message: { error: { code: 'rate_limited', message: 'Too many requests with a wrong token; wait a minute' } },
  });

  const perToken = rateLimit({
    windowMs: 60_000,
    limit: 120,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Per token when there is one (the token itself, however the header is spaced), so residents
    // behind one NAT do not share a budget.
    keyGenerator: (req: Request) => {
      const token = bearerToken(req.headers.authorization);
      return token ? hashToken(token) : ipKeyGenerator(req.ip ?? '');
    },
    message: { error: limitJson },
  });

  router.post('/messages', wrongTokens, perToken, async (req, res) => {
    const session = await requireSession(req);
    const body = parseOr400(postMessageBody, req.body);
    const conversation = await store.conversations.get(session.conversationId);
    if (!conversation) {
      res.status(401).json(errorBody('unauthorized', 'Missing or invalid token'));
      return;
    }
    const result = await gateway.dispatch({
      channel: conversation.channel,
      externalUserId: conversation.externalUserId,
      channelMessageId: `${conversation.externalUserId}:${body.clientMessageId}`,
      content: {
        ...(body.text && { text: body.text }),
        ...(body.payload && { payload: body.payload }),
        ...(body.location && { location: body.location }),
        ...(body.images && { images: body.images }),
      },
    });
    if (result.conversationId && result.conversationId !== session.conversationId) {
      await store.appSessions.repoint(session.residentId, result.conversationId);
    }
    res.status(202).json({ messageId: result.messageId, duplicate: result.duplicate });
  });

  router.get('/messages', wrongTokens, perToken, async (req, res) => {
    const session = await requireSession(req);
    const query = parseOr400(listMessagesQuery, req.query, 'query');
    const conversationId = session.conversationId;
    const afterSeq = decodeCursor(query.after, conversationId);
    const waitMs = Math.min(query.wait ?? 0, deps.longPollMaxSeconds) * 1000;
    let messages = await visibleMessages(store, conversationId, afterSeq);
    if (messages.length === 0 && waitMs > 0) {
      const slot = waits.acquire(session.tokenHash);
      if (typeof slot === 'string') {
        res.setHeader('Retry-After', slot === 'token' ? '1' : '5');
        const why = slot === 'token' ? 'Too many open waits with this token; close one or retry' : 'Too many open waits on this server; retry shortly';
        res.status(slot === 'token' ? 429 : 503).json(errorBody(slot === 'token' ? 'rate_limited' : 'unavailable', why));
        return;
      }
      try {
        messages = await waitForMessages(deps, conversationId, afterSeq, waitMs, res);
      } finally {
        slot();
      }
    }
    const last = messages.at(-1)?.seq ?? afterSeq;
    res.json({ messages: messages.map(toMessageView), cursor: encodeCursor(conversationId, last) });
  });

  return router;
}

/** Waits for a bus event (this instance) or a store poll (other instances) or the timeout. */
function waitForMessages(deps: AppApiDeps, conversationId: string, afterSeq: number, waitMs: number, res: Response) {
  return new Promise<Message[]>((resolve, reject) => {
    let done = false;
    const finish = (value: Message[] | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      clearInterval(poll);
      unsubscribe();
      res.off('close', onClose);
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const check = () => {
      visibleMessages(deps.store, conversationId, afterSeq)
        .then((found) => found.length && finish(found))
        .catch((err: Error) => finish(err));
    };
    const unsubscribe = deps.bus.on('message', (m) => {
      if (m.conversationId === conversationId && !m.flags?.internal) check();
    });
    const onClose = () => finish([]);
    // The response closing early means the client went away.
    res.on('close', onClose);
    const timeout = setTimeout(() => finish([]), waitMs);
    const poll = setInterval(check, deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  });
}
