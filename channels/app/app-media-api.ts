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
import { z } from 'zod';
import type { ChannelRuntime, RateLimitRule, RawRequest, RouteOptions } from '../../src/core/channel-port';
import { DajeongError } from '../../src/core/errors';
import { readImageUpload } from '../../src/core/image-upload';
import { MEDIA_REF_PREFIX } from '../../src/core/media-port';
import { contentOf } from '../../src/core/message';
import { parseOr400 } from '../../src/core/validation';
import { header } from '../shared/webhook-utils';
import { APP_API_PATH, jsonBody, type AppApiSettings } from './app-api';
import { authenticate as authenticateSession, hashToken } from './app-auth';

/** Photos are resized in the browser to well under this; the limit stops abuse, not residents. */
export const RESIDENT_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

const clientMessageId = z.string().trim().min(1).max(100);
const caption = z.string().max(500).optional();
const typingBody = z.object({ typing: z.boolean() }).strict();
const readBody = z.object({ upToSeq: z.number().int().min(0) }).strict();

/** Requests per minute and token (per address without one); each route has its own budget. */
const limited = (perMinute: number): RateLimitRule => ({
  perMinute,
  key: (req: RawRequest) => {
    const authorization = header(req, 'authorization');
    return authorization ? hashToken(authorization) : undefined;
  },
  message: 'Too many requests; slow down',
});

/** Registers the photo and signal routes of the app API on the runtime. */
export function registerAppMediaApi(runtime: ChannelRuntime, settings: Pick<AppApiSettings, 'sessionIdleMs'>): void {
  const { store, media } = runtime;
  const authenticate = (req: RawRequest) => authenticateSession(runtime.appSessions, header(req, 'authorization'), { idleMs: settings.sessionIdleMs });
  const appSessions = runtime.appSessions;
  const signalOptions: RouteOptions = { maxBodyBytes: 1024 };

  runtime.route(
    'post',
    `${APP_API_PATH}/media`,
    async (req) => {
      const session = await authenticate(req);
      const id = parseOr400(clientMessageId, req.headers['x-client-message-id'], 'x-client-message-id header');
      const text = parseOr400(caption, decodeHeader(req.headers['x-caption']), 'x-caption header')?.trim();
      const conversation = await store.conversations.get(session.conversationId);
      if (!conversation) throw new DajeongError('unauthorized', 'Missing or invalid token');
      const upload = await readImageUpload(req.headers, req.stream!, RESIDENT_PHOTO_MAX_BYTES);
      // Keyed by resident and client message id: a retried upload stores the photo once.
      const { media: stored } = await media.put({
        key: `resident:${session.residentId}:${id}`,
        conversationId: conversation.id,
        residentId: session.residentId,
        mimeType: upload.mimeType,
        source: 'resident',
        bytes: upload.bytes,
      });
      const result = await runtime.dispatch({
        channel: conversation.channel,
        externalUserId: conversation.externalUserId,
        channelMessageId: `${conversation.externalUserId}:${id}`,
        content: contentOf({
          ...(text && { text }),
          images: [{ url: `${MEDIA_REF_PREFIX}${stored.id}`, mimeType: stored.mimeType, ...(text && { caption: text }) }],
        }),
      });
      if (result.conversationId !== session.conversationId) await appSessions.repoint(session.residentId, result.conversationId);
      return { status: 202, body: { messageId: result.messageId, duplicate: result.duplicate, mediaId: stored.id } };
    },
    // Read only after the token is checked, so anonymous clients cannot make the server buffer megabytes.
    { streamBody: true, rateLimit: limited(20) },
  );

  runtime.route(
    'get',
    `${APP_API_PATH}/media/:id`,
    async (req) => {
      const session = await authenticate(req);
      const found = await media.get(String(req.params.id));
      // Someone else's photo answers exactly like a missing one.
      const bytes = found && found.residentId === session.residentId ? await media.read(found.id) : undefined;
      if (!found || !bytes) throw new DajeongError('not_found', 'No such photo');
      return {
        status: 200,
        headers: { 'Content-Type': found.mimeType, 'Cache-Control': 'private, max-age=86400, immutable' },
        body: bytes,
      };
    },
    { rateLimit: limited(240) },
  );

  runtime.route(
    'post',
    `${APP_API_PATH}/typing`,
    async (req) => {
      const session = await authenticate(req);
      const { typing } = parseOr400(typingBody, jsonBody(req) ?? {});
      runtime.signal('typing', { conversationId: session.conversationId, who: 'resident', typing });
      return { status: 204 };
    },
    { ...signalOptions, rateLimit: limited(120) },
  );

  runtime.route(
    'post',
    `${APP_API_PATH}/read`,
    async (req) => {
      const session = await authenticate(req);
      const { upToSeq } = parseOr400(readBody, jsonBody(req) ?? {});
      runtime.signal('read', { conversationId: session.conversationId, who: 'resident', upToSeq });
      return { status: 204 };
    },
    { ...signalOptions, rateLimit: limited(120) },
  );
}

function decodeHeader(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new DajeongError('validation', 'x-caption must be URI-encoded (encodeURIComponent).');
  }
}
