/**
 * Photos in the console: residents' photos (stored uploads, or platform files such as Telegram's
 * fetched through the channel adapter, then kept in the media store) served through an
 * authenticated route, and photos counselors attach to a reply. Platform credentials never reach
 * the browser: the console only ever sees /api/console/v1 URLs.
 */
import type { FetchedMedia } from '../core/channel-port';
import { DajeongError } from '../core/errors';
import { MEDIA_REF_PREFIX, mediaIdOf, sniffImageType } from '../core/media-port';
import type { Store } from '../core/store-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffModule } from '../handoff/handoff-module';
import { readImageUpload } from '../http/image-upload';
import type { ConsoleRoute } from './console-routes';
import { readableConversation } from './conversation-access';
import { toConsoleMessage } from './console-views';

/** Counselors' attachments; the console resizes photos before sending, like the web chat. */
export const COUNSELOR_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Largest platform file fetched for staff (Telegram's Bot API serves up to 20 MB). */
const PLATFORM_MEDIA_MAX_BYTES = 20 * 1024 * 1024;
/** Channels whose residents read stored messages, so a `media:` photo reaches them. */
const PULL_CHANNELS = new Set(['app', 'webchat']);

export interface MediaRouteDeps {
  store: Store;
  handoff: HandoffModule;
  /** Downloads a platform file through the conversation's channel adapter, if it can. */
  fetchMedia(channel: string, ref: string, maxBytes: number): Promise<FetchedMedia | undefined>;
}

export function mediaRoutes(deps: MediaRouteDeps): ConsoleRoute[] {
  const { store } = deps;
  const STAFF = ['counselor', 'supervisor'] as const;

  /** The bytes behind one image URL of a message, cached in the media store when fetched from a platform. */
  const imageBytes = async (conversation: { id: string; residentId: string; channel: string }, url: string) => {
    const id = mediaIdOf(url);
    if (id) {
      const media = await store.media.get(id);
      const bytes = media?.residentId === conversation.residentId ? await store.media.read(id) : undefined;
      return media && bytes ? { bytes, mimeType: media.mimeType } : undefined;
    }
    const key = `channel:${conversation.channel}:${url}`;
    const cached = await store.media.findByKey(key);
    if (cached) {
      const bytes = await store.media.read(cached.id);
      if (bytes) return { bytes, mimeType: cached.mimeType };
    }
    let fetched: FetchedMedia | undefined;
    try {
      fetched = await deps.fetchMedia(conversation.channel, url, PLATFORM_MEDIA_MAX_BYTES);
    } catch (err) {
      // The adapter's error may name platform URLs; the browser gets a plain answer.
      if (err instanceof DajeongError && err.code === 'validation') throw new HandoffError(400, 'too_large', { key: 'staff.error.mediaTooLarge' });
      throw new HandoffError(409, 'media_unavailable', { key: 'staff.error.mediaUnavailable' });
    }
    const mimeType = fetched && sniffImageType(fetched.bytes);
    if (!fetched || !mimeType) return undefined;
    await store.media.put({ key, conversationId: conversation.id, residentId: conversation.residentId, mimeType, source: 'channel', bytes: fetched.bytes });
    return { bytes: fetched.bytes, mimeType };
  };

  return [
    {
      method: 'get',
      path: '/conversations/:id/messages/:messageId/images/:n',
      roles: [...STAFF],
      summary: 'One photo of a message (resident uploads, platform files such as Telegram photos, counselor attachments)',
      raw: true,
      conflicts: '404 no such photo; 409 media_unavailable (the platform did not answer)',
      async handler({ req, res, auth }) {
        const c = await readableConversation(store, auth.user, String(req.params.id));
        const message = await store.messages.get(String(req.params.messageId));
        const image = message?.conversationId === c.id ? message.content.images?.[Number(req.params.n)] : undefined;
        if (!image) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchPhoto' });
        const found = await imageBytes(c, image.url);
        if (!found) throw new HandoffError(404, 'not_found', { key: 'staff.error.photoUnavailable' });
        res.setHeader('Content-Type', found.mimeType);
        res.setHeader('Cache-Control', 'private, max-age=86400');
        res.send(found.bytes);
        return undefined;
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/attachments',
      roles: [...STAFF],
      summary: 'Send a photo to the resident (body: image bytes, header x-caption URI-encoded); web chat and app residents only',
      conflicts: '403 not_owner; 409 not_assigned, unsupported_channel',
      async handler({ req, auth }) {
        const c = await store.conversations.get(String(req.params.id));
        if (!c) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: String(req.params.id) } });
        if (c.state !== 'assigned') throw new HandoffError(409, 'not_assigned', { key: 'staff.error.photoNotAssigned' });
        if (c.assigneeId !== auth.user.id) throw new HandoffError(403, 'not_owner', { key: 'staff.error.notOwner' });
        if (!PULL_CHANNELS.has(c.channel)) {
          throw new HandoffError(409, 'unsupported_channel', { key: 'staff.error.photoChannel', values: { channel: c.channel } });
        }
        const upload = await readImageUpload(req, COUNSELOR_PHOTO_MAX_BYTES);
        const caption = captionOf(req.headers['x-caption']);
        const { media } = await store.media.put({
          key: `counselor:${auth.user.id}:${c.id}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
          conversationId: c.id,
          residentId: c.residentId,
          mimeType: upload.mimeType,
          source: 'counselor',
          uploadedBy: auth.user.id,
          bytes: upload.bytes,
        });
        const sent = await deps.handoff.service.reply(auth.user, c.id, {
          ...(caption && { text: caption }),
          images: [{ url: `${MEDIA_REF_PREFIX}${media.id}`, mimeType: media.mimeType, ...(caption && { caption }) }],
        });
        return { messages: sent.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
  ];
}

/** The URI-encoded x-caption header, at most 500 characters. */
function captionOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || !header) return undefined;
  try {
    return decodeURIComponent(header).slice(0, 500);
  } catch {
    throw new HandoffError(400, 'validation', { key: 'staff.error.captionEncoding' });
  }
}
