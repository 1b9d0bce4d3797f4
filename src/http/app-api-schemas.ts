/** Request and response shapes of the resident app API; the OpenAPI document is built from them. */
import { z } from 'zod';

export const createSessionBody = z
  .object({
    deviceId: z.string().trim().min(1).max(200),
    locale: z
      .string()
      .regex(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, 'must be a BCP-47 locale such as ko-KR or en')
      .optional(),
    client: z.enum(['app', 'webchat']).optional(),
  })
  .strict();

const location = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  address: z.string().max(500).optional(),
});

const image = z.object({
  url: z
    .string()
    // Photos go up through POST /media; an inline data: URL must fit the 64 KB request body.
    .max(48_000)
    .refine((u) => /^https?:\/\//.test(u) || /^data:image\/(png|jpeg|webp|gif);base64,/.test(u), 'must be an http(s) URL or a data:image URL'),
  mimeType: z.string().max(100).optional(),
  caption: z.string().max(500).optional(),
});

export const postMessageBody = z
  .object({
    clientMessageId: z.string().trim().min(1).max(100),
    text: z.string().trim().min(1).max(4000).optional(),
    payload: z.string().min(1).max(200).optional(),
    location: location.optional(),
    images: z.array(image).min(1).max(4).optional(),
  })
  .strict()
  .refine((b) => b.text || b.location || b.images || b.payload, {
    message: 'a message needs text, a payload, a location or an image',
    path: ['text'],
  });

export const listMessagesQuery = z.object({
  after: z.string().max(200).optional(),
  wait: z.coerce.number().min(0).max(120).optional(),
});

export const messageView = z.object({
  id: z.string(),
  seq: z.number().int(),
  author: z.enum(['resident', 'bot', 'counselor', 'system']),
  direction: z.enum(['inbound', 'outbound']),
  text: z.string().optional(),
  quickReplies: z.array(z.object({ label: z.string(), payload: z.string() })).optional(),
  images: z.array(image).optional(),
  location: location.optional(),
  links: z.array(z.object({ title: z.string(), url: z.string() })).optional(),
  clientMessageId: z.string().optional(),
  /** The language the message is written in, for the right voice in screen readers. */
  language: z.string().optional(),
  createdAt: z.string(),
});

export type MessageView = z.infer<typeof messageView>;

export const errorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
