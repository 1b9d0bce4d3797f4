/**
 * Account Activity API events to canonical inbound messages: direct_message_events of type
 * message_create, minus the ones our own account sent (sender_id === for_user_id).
 * t.co links are expanded back to the address the resident typed.
 */
import { z } from 'zod';
import { contentOf, type ContentParts, type InboundMessage, type MessageContent } from '../../src/core/message';

const dmEventSchema = z.object({
  type: z.string(),
  id: z.string(),
  created_timestamp: z.string().optional(),
  message_create: z
    .object({
      target: z.object({ recipient_id: z.string() }),
      sender_id: z.string(),
      message_data: z.object({
        text: z.string().default(''),
        entities: z
          .object({
            urls: z.array(z.object({ url: z.string(), expanded_url: z.string().optional() })).optional(),
          })
          .passthrough()
          .optional(),
        quick_reply_response: z.object({ type: z.string(), metadata: z.string().optional() }).optional(),
        attachment: z
          .object({
            type: z.string(),
            media: z
              .object({
                media_url_https: z.string().optional(),
                url: z.string().optional(),
                type: z.string().optional(),
              })
              .passthrough(),
          })
          .optional(),
      }),
    })
    .optional(),
});

/** The body X POSTs to the webhook (only the parts we read; other event kinds pass through). */
export const xBodySchema = z
  .object({
    for_user_id: z.string(),
    direct_message_events: z.array(z.unknown()).optional(),
  })
  .passthrough();
export type XBody = z.infer<typeof xBodySchema>;

export type XParse = { inbound: InboundMessage } | { skip: string };

/** Reads every DM event of a webhook body. */
export function xToCanonical(body: XBody): XParse[] {
  return (body.direct_message_events ?? []).map((raw) => {
    const parsed = dmEventSchema.safeParse(raw);
    if (!parsed.success) return { skip: 'unreadable DM event' };
    const event = parsed.data;
    if (event.type !== 'message_create' || !event.message_create) return { skip: `DM event ${event.type}` };
    const create = event.message_create;
    if (create.sender_id === body.for_user_id) return { skip: 'our own DM' };
    return {
      inbound: {
        channel: 'x',
        externalUserId: create.sender_id,
        channelMessageId: event.id,
        content: content(create.message_data),
        sentAt: event.created_timestamp ? new Date(Number(event.created_timestamp)) : undefined,
      },
    };
  });
}

function content(
  data: NonNullable<z.infer<typeof dmEventSchema>['message_create']>['message_data'],
): MessageContent {
  let text = data.text;
  const media = data.attachment?.media;
  // The media's own t.co link is appended to the text by X; it is not something the resident wrote.
  if (media?.url) text = text.replace(media.url, '').trim();
  for (const u of data.entities?.urls ?? [])
    if (u.expanded_url && u.url !== media?.url) text = text.split(u.url).join(u.expanded_url);
  const out: ContentParts = { text };
  if (data.quick_reply_response?.metadata) out.payload = data.quick_reply_response.metadata;
  if (media?.media_url_https && (media.type ?? 'photo') === 'photo')
    out.images = [{ url: media.media_url_https }];
  return contentOf(out);
}
