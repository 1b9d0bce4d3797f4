/**
 * Resident routes beside the app API (/api/app/v1), for the web chat and the app: photo upload
 * (stored in the media store, then sent as a message like POST /messages), reading a photo of
 * one's own conversation, and the typing / read signals that counselors see.
 *
 *   POST /media          body: image bytes; headers x-client-message-id, x-caption (URI-encoded)
 *   GET  /media/:id      the bytes, for the resident whose conversation holds it
 *   POST /typing         {typing: boolean}
 *   POST /read           {upToSeq: number}
 */
import { Router, type Request } from 'express';
import { boundedJson } from './raw-body';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { DispatchResult } from '../core/channel-port';
import { DajeongError } from '../core/errors';
import type { EventBus } from '../core/event-port';
import { MEDIA_REF_PREFIX } from '../core/media-port';
import type { InboundMessage } from '../core/message';
import type { Store } from '../core/store-port';
import { authenticate, hashToken } from './app-auth';
import { parseOr400 } from './http-errors';
import { readImageUpload } from './image-upload';

/** Photos are resized in the browser to well under this; the limit stops abuse, not residents. */
export const RESIDENT_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

export interface AppMediaApiDeps {
  store: Store;
  events: EventBus;
  /** Stores the message and runs the turn (the gateway's dispatch). */
  dispatch(inbound: InboundMessage): Promise<DispatchResult>;
}

const clientMessageId = z.string().trim().min(1).max(100);
const caption = z.string().max(500).optional();
const typingBody = z.object({ typing: z.boolean() }).strict();
const readBody = z.object({ upToSeq: z.number().int().min(0) }).strict();

export function appMediaApiRouter(deps: AppMediaApiDeps): Router {
  const { store, events } = deps;
  const router = Router();
  const limited = (limit: number) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req: Request) => (req.headers.authorization ? hashToken(req.headers.authorization) : ipKeyGenerator(req.ip ?? '')),
      message: { error: { code: 'rate_limited', message: 'Too many requests; slow down' } },
    });

  router.post('/media', limited(20), async (req, res) => {
    const session = await authenticate(store, req.headers.authorization);
    const id = parseOr400(clientMessageId, req.headers['x-client-message-id'], 'x-client-message-id header');
    const text = parseOr400(caption, decodeHeader(req.headers['x-caption']), 'x-caption header')?.trim();
    const conversation = await store.conversations.get(session.conversationId);
    if (!conversation) throw new DajeongError('unauthorized', 'Missing or invalid token');
    const upload = await readImageUpload(req, RESIDENT_PHOTO_MAX_BYTES);
    // Keyed by resident and client message id: a retried upload stores the photo once.
    const { media } = await store.media.put({
      key: `resident:${session.residentId}:${id}`,
      conversationId: conversation.id,
      residentId: session.residentId,
      mimeType: upload.mimeType,
      source: 'resident',
      bytes: upload.bytes,
    });
    const result = await deps.dispatch({
      channel: conversation.channel,
      externalUserId: conversation.externalUserId,
      channelMessageId: `${conversation.externalUserId}:${id}`,
      content: { ...(text && { text }), images: [{ url: `${MEDIA_REF_PREFIX}${media.id}`, mimeType: media.mimeType, ...(text && { caption: text }) }] },
    });
    if (result.conversationId !== session.conversationId) await store.appSessions.repoint(session.residentId, result.conversationId);
    res.status(202).json({ messageId: result.messageId, duplicate: result.duplicate, mediaId: media.id });
  });

  router.get('/media/:id', limited(240), async (req, res) => {
    const session = await authenticate(store, req.headers.authorization);
    const media = await store.media.get(String(req.params.id));
    // Someone else's photo answers exactly like a missing one.
    const bytes = media && media.residentId === session.residentId ? await store.media.read(media.id) : undefined;
    if (!media || !bytes) throw new DajeongError('not_found', 'No such photo');
    res.setHeader('Content-Type', media.mimeType);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.send(bytes);
  });

  router.post('/typing', limited(120), boundedJson('1kb'), async (req, res) => {
    const session = await authenticate(store, req.headers.authorization);
    const { typing } = parseOr400(typingBody, req.body);
    events.publish('typing', { conversationId: session.conversationId, who: 'resident', typing });
    res.status(204).end();
  });

  router.post('/read', limited(120), boundedJson('1kb'), async (req, res) => {
    const session = await authenticate(store, req.headers.authorization);
    const { upToSeq } = parseOr400(readBody, req.body);
    events.publish('read', { conversationId: session.conversationId, who: 'resident', upToSeq });
    res.status(204).end();
  });

  return router;
}

function decodeHeader(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new DajeongError('validation', 'x-caption must be URI-encoded (encodeURIComponent).');
  }
}
