/** Request and response shapes of the console API; the same zod schemas validate and document it. */
import { z } from 'zod';
import { CONSOLE_ROLES, PRESENCES, SHIFTS } from '../core/user-port';

const language = z.string().regex(/^[a-z]{2,3}$/, 'a 2–3 letter language code such as ko, en, vi');
const team = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, - or _');

export const loginBody = z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export const createUserBody = z.object({
  login: z.string().regex(/^[A-Za-z0-9._@-]{3,64}$/, '3–64 letters, digits, . _ @ or -'),
  password: z.string().min(8).max(256),
  role: z.enum(CONSOLE_ROLES),
  languages: z.array(language).max(20).default(['ko']),
  teams: z.array(team).max(20).default([]),
  displayName: z.string().min(1).max(60).optional(),
  shift: z.enum(SHIFTS).optional(),
  maxConcurrent: z.number().int().min(1).max(20).optional(),
});

export const updateUserBody = z
  .object({
    password: z.string().min(8).max(256),
    role: z.enum(CONSOLE_ROLES),
    languages: z.array(language).max(20),
    teams: z.array(team).max(20),
    displayName: z.string().min(1).max(60),
    shift: z.enum(SHIFTS).nullable(),
    maxConcurrent: z.number().int().min(1).max(20).nullable(),
    disabled: z.boolean(),
    unlock: z.literal(true),
  })
  .partial();

export const presenceBody = z.object({ status: z.enum(PRESENCES) });

const quickReply = z.object({ label: z.string().min(1).max(40), payload: z.string().min(1).max(200) });

export const replyBody = z
  .object({
    text: z.string().max(4000).optional(),
    quickReplies: z.array(quickReply).max(10).optional(),
    links: z.array(z.object({ title: z.string().min(1).max(100), url: z.string().url() })).max(5).optional(),
  })
  .refine((b) => Boolean(b.text?.trim()) || Boolean(b.quickReplies?.length), { message: 'text or quickReplies is required', path: ['text'] });

export const noteBody = z.object({ text: z.string().trim().min(1).max(4000) });

export const transferBody = z
  .object({ toCounselorId: z.string().min(1).max(64).optional(), team: team.optional(), note: z.string().max(1000).optional() })
  .refine((b) => Boolean(b.toCounselorId) !== Boolean(b.team), { message: 'give exactly one of toCounselorId or team', path: ['toCounselorId'] });

/** Resolution codes the console offers; any short code is accepted so centers can add their own. */
export const RESOLUTION_CODES = ['answered', 'referred', 'ticket_created', 'callback', 'no_response', 'abusive', 'other'] as const;

export const closeBody = z.object({
  resolution: z.string().regex(/^[a-z0-9_.-]{1,40}$/i, 'a short code such as answered, referred, ticket_created'),
  confirm: z.boolean().optional(),
});

export const reportAbuseBody = z.object({ note: z.string().max(1000).optional() });

export const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(1) });
export const cannedQuery = z.object({ q: z.string().max(200).default(''), lang: language.default('ko') });
export const alertsQuery = z.object({ open: z.enum(['true', 'false']).optional() });
export const auditQuery = z.object({
  subject: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const conversationsQuery = z.object({ scope: z.enum(['mine', 'all']).default('mine') });

export const errorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const queueItemView = z.object({
  conversationId: z.string(),
  priority: z.enum(['crisis', 'bot_failure', 'request', 'normal']),
  language: z.string(),
  channel: z.string(),
  waitingSince: z.string().describe('ISO time the chat entered the queue'),
  position: z.number().int().describe('1-based place in serving order'),
  team: z.string().optional(),
  preferredCounselorId: z.string().optional(),
  matchesMySkills: z.boolean(),
  callback: z.boolean().describe('the resident chose to leave a message and be contacted'),
  hearingImpaired: z.boolean().optional().describe('true: deaf or hard-of-hearing resident: text only, no phone callback'),
  lastIntent: z.string().optional(),
});
