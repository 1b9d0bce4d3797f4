/** Request shapes of the admin API. */
import { z } from 'zod';
import { NOTICE_SEVERITIES } from '../core/notice-port';
import { INTENTS } from '../core/nlu-port';
import { TICKET_STATUSES } from '../core/ticket-port';

const localizedRequired = z
  .record(z.string().regex(/^[a-z]{2,3}$/, 'must be a language code'), z.string().trim().min(1).max(2000))
  .superRefine((m, ctx) => {
    for (const lang of ['ko', 'en'])
      if (!m[lang])
        ctx.addIssue({
          code: 'custom',
          path: [lang],
          message: `${lang === 'ko' ? 'Korean' : 'English'} text is required`,
        });
  });

const date = z.coerce.date({ message: 'must be an ISO date-time' });

export const noticeCreateBody = z
  .object({
    title: localizedRequired,
    body: localizedRequired,
    intents: z.array(z.enum(INTENTS)).max(INTENTS.length).default([]),
    region: z.string().trim().min(1).max(100).optional(),
    severity: z.enum(NOTICE_SEVERITIES).default('info'),
    startsAt: date.optional(),
    endsAt: date,
  })
  .strict()
  .refine((n) => n.endsAt.getTime() > (n.startsAt ?? new Date()).getTime(), {
    message: 'must be after startsAt (or now)',
    path: ['endsAt'],
  });

export const noticePatchBody = z
  .object({
    title: localizedRequired.optional(),
    body: localizedRequired.optional(),
    intents: z.array(z.enum(INTENTS)).optional(),
    region: z.string().trim().min(1).max(100).nullable().optional(),
    severity: z.enum(NOTICE_SEVERITIES).optional(),
    startsAt: date.optional(),
    endsAt: date.optional(),
  })
  .strict();

export const noticeListQuery = z.object({
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** "a,b,c" in a query string, each checked against the allowed values. */
const statusList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TICKET_STATUSES)));

export const ticketListQuery = z.object({
  status: statusList.optional(),
  category: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
  from: date.optional(),
  to: date.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const ticketStatusBody = z
  .object({
    status: z.enum(TICKET_STATUSES),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

export const versionQuery = z.object({
  expectedVersion: z.coerce.number().int().min(0).optional(),
  note: z.string().max(500).optional(),
});

export const revertBody = z.object({ version: z.number().int().min(1) }).strict();

export const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

export const importQuery = z.object({ mode: z.enum(['upsert', 'replace']).default('upsert') });

export const unansweredListQuery = z.object({
  status: z.enum(['open', 'resolved', 'dismissed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** Turn an unanswered message into a new FAQ entry, or a question variant of an existing one. */
export const unansweredToFaqBody = z.union([
  z.object({ entry: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ faqId: z.string().min(1) }).strict(),
]);

export const unansweredToIntentBody = z
  .object({
    intent: z.enum([...INTENTS, 'out_of_scope']),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/)
      .optional(),
  })
  .strict();

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(500),
  lang: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .default('ko'),
});

export const intentExampleQuery = z.object({ language: z.string(), text: z.string() });
