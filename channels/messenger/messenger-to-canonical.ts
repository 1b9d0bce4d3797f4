/**
 * Messenger webhook events to canonical inbound messages. Events arrive batched in
 * entry[].messaging[]; echoes of our own messages, deliveries, reads and reactions are skipped.
 */
import { z } from 'zod';
import { contentOf, type ContentParts, type InboundMessage, type MessageContent } from '../../src/core/message';

const attachmentSchema = z.object({
  type: z.string(),
  payload: z
    .object({
      url: z.string().optional(),
      title: z.string().optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    })
    .passthrough()
    .nullish(),
  title: z.string().optional(),
  url: z.string().optional(),
});

const eventSchema = z.object({
  sender: z.object({ id: z.string() }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachmentSchema).optional(),
    })
    .optional(),
  postback: z
    .object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string() })
    .optional(),
});

/** The webhook body Meta POSTs for a Page subscription. */
export const messengerBodySchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), time: z.number(), messaging: z.array(z.unknown()).optional() })),
});
export type MessengerBody = z.infer<typeof messengerBodySchema>;

export type MessengerParse = { inbound: InboundMessage } | { skip: string };

/** Reads every messaging event of a webhook body, in order; each event parses on its own. */
export function messengerToCanonical(body: MessengerBody): MessengerParse[] {
  if (body.object !== 'page') return [{ skip: `object ${body.object}` }];
  return body.entry.flatMap((entry) => (entry.messaging ?? []).map(readEvent));
}

function readEvent(raw: unknown): MessengerParse {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) return { skip: `unreadable event: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const event = parsed.data;
  const base = { channel: 'messenger', externalUserId: event.sender.id, sentAt: new Date(event.timestamp) };
  if (event.message) {
    if (event.message.is_echo) return { skip: 'echo of a page message' };
    return {
      inbound: { ...base, channelMessageId: event.message.mid, content: messageContent(event.message) },
    };
  }
  if (event.postback) {
    return {
      inbound: {
        ...base,
        // Older postbacks carry no mid; sender + timestamp identifies a redelivery.
        channelMessageId: event.postback.mid ?? `postback:${event.sender.id}:${event.timestamp}`,
        content: { kind: 'button', text: event.postback.title ?? event.postback.payload, payload: event.postback.payload },
      },
    };
  }
  return { skip: 'not a message or postback (delivery, read, reaction...)' };
}

/** The message's text, quick-reply payload and attachments; a shared location wins over photos sent with it. */
function messageContent(message: NonNullable<z.infer<typeof eventSchema>['message']>): MessageContent {
  const content: ContentParts = {};
  if (message.text !== undefined) content.text = message.text;
  if (message.quick_reply) content.payload = message.quick_reply.payload;
  for (const a of message.attachments ?? []) {
    const url = a.payload?.url ?? a.url;
    if (a.type === 'image' && url) (content.images ??= []).push({ url });
    else if (a.type === 'location' && a.payload?.coordinates) {
      content.location = { latitude: a.payload.coordinates.lat, longitude: a.payload.coordinates.long };
    } else if (url) (content.links ??= []).push({ title: a.payload?.title ?? a.title ?? a.type, url });
  }
  return contentOf(content);
}
