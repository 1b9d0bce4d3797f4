/**
 * OpenAPI 3.1 description of /api/admin/v1 (served at /api/admin/v1/openapi.json), built from the
 * zod schemas that validate requests and from response schemas kept next to them here.
 * schemathesis checks the answers against it in the test run (scripts/api-check).
 */
import { z } from 'zod';
import { NOTICE_SEVERITIES } from '../core/notice-port';
import { TICKET_STATUSES } from '../core/ticket-port';
import { faqEntrySchema } from '../knowledge/faq-schema';
import {
  formatQuery,
  importQuery,
  intentExampleQuery,
  noticeCreateBody,
  noticeListQuery,
  noticePatchBody,
  revertBody,
  searchQuery,
  ticketListQuery,
  ticketStatusBody,
  unansweredListQuery,
  unansweredToFaqBody,
  unansweredToIntentBody,
  versionQuery,
} from './admin-schemas';
import { exampleBody, intentBody } from './intent-admin';

const toSchema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
const json = (s: z.ZodType) => ({ 'application/json': { schema: toSchema(s) } });

// ---- Response shapes (JSON: dates are ISO strings)
const errorView = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
const localized = z.record(z.string(), z.string());
const faqEntry = z.object({
  id: z.string(),
  intent: z.string(),
  topic: z.string(),
  questions: z.record(z.string(), z.array(z.string())),
  answer: localized,
  links: z.array(z.object({ title: z.string(), url: z.string() })),
  source: z.string(),
  updatedAt: z.string(),
});
const versionedFaq = z.object({ entry: faqEntry, version: z.number().int(), updatedBy: z.string(), savedAt: z.string() });
const knowledgeVersion = z.object({
  kind: z.enum(['faq', 'intent']),
  key: z.string(),
  version: z.number().int(),
  doc: z.unknown().optional(),
  deleted: z.boolean(),
  actor: z.string(),
  note: z.string().optional(),
  at: z.string(),
});
const intentDefinition = z.object({ intent: z.string(), examples: z.record(z.string(), z.array(z.string())) });
const ticket = z.object({
  id: z.string(),
  reference: z.string(),
  category: z.string(),
  status: z.enum(TICKET_STATUSES),
  residentId: z.string(),
  conversationId: z.string(),
  channel: z.string(),
  language: z.string(),
  description: z.string(),
  history: z.array(z.object({ at: z.string(), status: z.enum(TICKET_STATUSES), actor: z.string(), note: z.string().optional() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const notice = z.object({
  id: z.string(),
  title: localized,
  body: localized,
  intents: z.array(z.string()),
  region: z.string().optional(),
  severity: z.enum(NOTICE_SEVERITIES),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const unansweredItem = z.object({
  id: z.string(),
  key: z.string(),
  text: z.string(),
  language: z.string(),
  count: z.number().int(),
  reasons: z.record(z.string(), z.number().int()),
  status: z.enum(['open', 'resolved', 'dismissed']),
  firstAt: z.string(),
  lastAt: z.string(),
});
const knowledgeStatus = z.object({ entries: z.number().int(), embedder: z.string(), degraded: z.boolean(), threshold: z.number() });
const list = (item: z.ZodType) => z.object({ items: z.array(item), count: z.number().int() });
const deletion = z.object({
  residentId: z.string(),
  conversations: z.number().int(),
  messages: z.number().int(),
  outbox: z.number().int(),
  appSessions: z.number().int(),
  tickets: z.number().int(),
  handoffRecords: z.number().int(),
  unanswered: z.number().int(),
});
const residentExport = z.object({
  exportedAt: z.string(),
  resident: z.object({ id: z.string() }),
  conversations: z.array(z.object({ id: z.string() })),
  messages: z.array(z.object({ id: z.string() })),
  appSessions: z.array(z.object({ residentId: z.string() })),
  tickets: z.array(ticket),
  surveys: z.array(z.object({ conversationId: z.string() })),
  unanswered: z.array(unansweredItem.extend({ askedByResident: z.number().int() })),
});

// ---- Operations
interface Operation {
  summary: string;
  body?: z.ZodType | 'faq' | 'rows';
  query?: z.ZodObject;
  ok: [status: number, schema?: z.ZodType | 'csv'];
  /** Error statuses besides 400, 401, 503 that the operation answers. */
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `fields` names each bad field',
  401: 'Missing or wrong admin token',
  404: 'No such record',
  409: 'Version conflict (expectedVersion is not the current version) or the record exists',
  413: 'Body too large',
  503: 'The admin API is disabled (no ADMIN_TOKEN) or the store is unavailable',
};

function operation(path: string, op: Operation) {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = op.query
    ? Object.entries((toSchema(op.query).properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: ((toSchema(op.query!).required as string[] | undefined) ?? []).includes(name),
        schema,
      }))
    : [];
  const [status, okSchema] = op.ok;
  const ok =
    okSchema === 'csv'
      ? { description: 'JSON, or CSV with format=csv', content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: {} } } }
      : okSchema
        ? { description: 'OK', content: json(okSchema) }
        : { description: 'Done (no body)' };
  const requestBody =
    op.body === 'faq'
      ? { required: true, content: json(faqEntrySchema) }
      : op.body === 'rows'
        ? { required: true, content: { 'application/json': { schema: { type: 'array', items: {} } }, 'text/csv': { schema: { type: 'string' } } } }
        : op.body
          ? { required: true, content: json(op.body) }
          : undefined;
  const responses: Record<string, unknown> = { [String(status)]: ok };
  for (const code of [400, 401, 413, 503, ...(op.errors ?? [])])
    responses[String(code)] = { description: ERROR_TEXT[code] ?? 'Error', content: json(errorView) };
  return {
    summary: op.summary,
    security: [{ bearer: [] }],
    ...(params.length + query.length && { parameters: [...params, ...query] }),
    ...(requestBody && { requestBody }),
    responses,
  };
}

const OPERATIONS: Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>> = {
  '/faq': {
    get: { summary: 'FAQ entries (filter by intent, topic or text)', query: z.object({ intent: z.string().optional(), topic: z.string().optional(), q: z.string().optional() }), ok: [200, list(versionedFaq)] },
    post: { summary: 'Create an FAQ entry', body: 'faq', query: z.object({ note: z.string().optional() }), ok: [201, versionedFaq], errors: [409] },
  },
  '/faq/export': { get: { summary: 'All FAQ entries as JSON or CSV', query: formatQuery, ok: [200, 'csv'] } },
  '/faq/import': {
    post: {
      summary: 'Import FAQ entries (JSON array or text/csv); replace deletes entries not in the file',
      body: 'rows',
      query: importQuery,
      ok: [200, z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), deleted: z.number().int() })],
    },
  },
  '/faq/{id}': {
    get: { summary: 'One FAQ entry with its version', ok: [200, versionedFaq], errors: [404] },
    put: { summary: 'Replace an FAQ entry (optimistic: expectedVersion)', body: 'faq', query: versionQuery, ok: [200, versionedFaq], errors: [404, 409] },
    delete: { summary: 'Delete an FAQ entry', query: versionQuery, ok: [204], errors: [404, 409] },
  },
  '/faq/{id}/history': { get: { summary: 'Every saved version of an FAQ entry', ok: [200, z.object({ versions: z.array(knowledgeVersion) })], errors: [404] } },
  '/faq/{id}/revert': { post: { summary: 'Save an earlier version again as the newest', body: revertBody, ok: [200, versionedFaq], errors: [404, 409] } },
  '/intents': {
    get: {
      summary: 'Intents with example counts per language',
      ok: [200, z.object({ items: z.array(z.object({ intent: z.string(), description: z.string().optional(), examples: z.record(z.string(), z.number().int()) })) })],
    },
  },
  '/intents/export': { get: { summary: 'Every intent with its examples, as JSON or CSV', query: formatQuery, ok: [200, 'csv'] } },
  '/intents/import': { post: { summary: 'Add examples (JSON array or text/csv of intent,language,text)', body: 'rows', ok: [200, z.object({ added: z.number().int() })] } },
  '/intents/{intent}': {
    get: { summary: 'One intent with its examples', ok: [200, intentDefinition], errors: [404] },
    put: { summary: 'Replace an intent’s examples (the classifier reloads)', body: intentBody, ok: [200, intentDefinition], errors: [404] },
  },
  '/intents/{intent}/examples': {
    post: { summary: 'Add one example', body: exampleBody, ok: [201, intentDefinition], errors: [404] },
    delete: { summary: 'Remove one example', query: intentExampleQuery, ok: [200, intentDefinition], errors: [404] },
  },
  '/intents/{intent}/history': { get: { summary: 'Every saved version of an intent', ok: [200, z.object({ versions: z.array(knowledgeVersion) })], errors: [404] } },
  '/reload': { post: { summary: 'Reload intents and FAQ from the store and files', ok: [200, z.object({ knowledge: knowledgeStatus })] } },
  '/kb/status': { get: { summary: 'FAQ retriever status', ok: [200, knowledgeStatus] } },
  '/kb/search': {
    get: {
      summary: 'What the FAQ retriever finds for a question',
      query: searchQuery,
      ok: [200, z.object({ answerable: z.boolean(), confidence: z.number(), hits: z.array(z.object({ id: z.string(), intent: z.string(), score: z.number() })) })],
    },
  },
  '/tickets': { get: { summary: 'Tickets, newest first', query: ticketListQuery, ok: [200, list(ticket)] } },
  '/tickets/{reference}': { get: { summary: 'One ticket by reference', ok: [200, ticket], errors: [404] } },
  '/tickets/{reference}/status': { post: { summary: 'Change a ticket’s status (the resident is told)', body: ticketStatusBody, ok: [200, ticket], errors: [404] } },
  '/notices': {
    get: { summary: 'Notices (active=true: those shown now)', query: noticeListQuery, ok: [200, list(notice)] },
    post: { summary: 'Create a notice', body: noticeCreateBody, ok: [201, notice] },
  },
  '/notices/{id}': {
    patch: { summary: 'Change a notice', body: noticePatchBody, ok: [200, notice], errors: [404] },
    delete: { summary: 'Delete a notice', ok: [204] },
  },
  '/unanswered': { get: { summary: 'Questions the bot could not answer, most asked first', query: unansweredListQuery, ok: [200, list(unansweredItem)] } },
  '/unanswered/{id}/faq': {
    post: { summary: 'Turn the question into a new FAQ entry or a variant of one', body: unansweredToFaqBody, ok: [201, z.object({ faq: versionedFaq, unanswered: unansweredItem })], errors: [404, 409] },
  },
  '/unanswered/{id}/intent-example': {
    post: {
      summary: 'Turn the question into an intent example',
      body: unansweredToIntentBody,
      ok: [201, z.object({ intent: z.object({ intent: z.string(), examples: z.number().int() }), unanswered: unansweredItem })],
      errors: [404],
    },
  },
  '/unanswered/{id}/dismiss': { post: { summary: 'Dismiss the question', ok: [200, unansweredItem], errors: [404] } },
  '/residents/{id}/export': { get: { summary: 'Everything held about a resident (audited)', ok: [200, residentExport], errors: [404] } },
  '/residents/{id}': { delete: { summary: 'Delete everything about a resident (audited)', ok: [200, deletion], errors: [404] } },
};

export function adminOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS))
    for (const [method, op] of Object.entries(methods)) (paths[path] ??= {})[method] = operation(path, op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dajeong admin API',
      version,
      description:
        'Knowledge editing (FAQ, intent examples, notices), tickets, the unanswered review and privacy requests. ' +
        'Every call carries Authorization: Bearer <ADMIN_TOKEN>; without ADMIN_TOKEN the API answers 503.',
    },
    servers: [{ url: '/api/admin/v1' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: toSchema(errorView) } },
    paths,
  };
}
