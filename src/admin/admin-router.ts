/**
 * The admin API (/api/admin/v1), bearer-token protected: FAQ and intent-example editing with
 * history, import/export and hot reload; staff ticket handling; notices; the unanswered review.
 */
import express, { Router, type Response } from 'express';
import { boundedJson } from '../http/raw-body';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DajeongError } from '../core/errors';
import type { FaqEntry } from '../core/knowledge-port';
import type { Store } from '../core/store-port';
import { parseOr400 } from '../http/http-errors';
import type { KnowledgeService } from '../knowledge/knowledge-service';
import type { NoticeService } from '../notices/notice-service';
import type { PrivacyService } from '../privacy/privacy-service';
import type { TicketService } from '../tickets/ticket-service';
import { adminAuth } from './admin-auth';
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
import type { FaqAdmin } from './faq-admin';
import { CSV_SAFE_STRINGIFY, csvUnsafeCell } from '../core/csv-cell';
import { adminOpenApi } from './admin-openapi';
import { csvToFaq, faqToCsv } from './faq-csv';
import { validationError } from './field-errors';
import type { IntentAdmin } from './intent-admin';

export interface AdminApiDeps {
  token: string | undefined;
  /** Version shown in the OpenAPI document. */
  version?: string;
  store: Store;
  knowledge: KnowledgeService;
  faq: FaqAdmin;
  intents: IntentAdmin;
  tickets: TicketService;
  notices: NoticeService;
  privacy: PrivacyService;
}

const actorOf = (res: Response) => String(res.locals.actor ?? 'admin');

function sendCsv(res: Response, name: string, csv: string) {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${name}"`);
  res.send(csv);
}

/** A JSON array body, or CSV text parsed by `fromCsv`. */
function rowsOf(
  body: unknown,
  contentType: string | undefined,
  fromCsv: (text: string) => unknown[],
): unknown[] {
  if (contentType?.startsWith('text/csv')) {
    if (typeof body !== 'string' || !body.trim())
      throw validationError('Empty CSV body', [{ field: '(body)', message: 'expected CSV text' }]);
    return fromCsv(body);
  }
  if (!Array.isArray(body))
    throw validationError('Expected a JSON array (or text/csv)', [
      { field: '(body)', message: 'must be an array' },
    ]);
  return body;
}

export function adminApiRouter(deps: AdminApiDeps): Router {
  const { store, knowledge, faq, intents, tickets, notices } = deps;
  const router = Router();
  // The document is public like the app and console ones; every operation needs the token.
  const openApi = adminOpenApi(deps.version ?? '0.0.0');
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  router.use(adminAuth(deps.token));
  router.use(boundedJson('5mb'), express.text({ type: 'text/csv', limit: '5mb' }));

  // ---- FAQ entries
  router.get('/faq', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const items = await faq.list({ intent: q.intent, topic: q.topic, q: q.q });
    res.json({ items, count: items.length });
  });
  router.get('/faq/export', async (req, res) => {
    const { format } = parseOr400(formatQuery, req.query, 'query');
    const entries = await faq.export();
    if (format === 'csv') sendCsv(res, 'faq.csv', faqToCsv(entries));
    else res.json(entries);
  });
  router.post('/faq/import', async (req, res) => {
    const { mode } = parseOr400(importQuery, req.query, 'query');
    res.json(await faq.import(rowsOf(req.body, req.headers['content-type'], csvToFaq), actorOf(res), mode));
  });
  router.post('/faq', async (req, res) => {
    res
      .status(201)
      .json(await faq.create(req.body, actorOf(res), (req.query.note as string | undefined) ?? undefined));
  });
  router.get('/faq/:id', async (req, res) => {
    res.json(await faq.get(req.params.id));
  });
  router.put('/faq/:id', async (req, res) => {
    const { expectedVersion, note } = parseOr400(versionQuery, req.query, 'query');
    res.json(await faq.update(req.params.id, req.body, actorOf(res), { expectedVersion, note }));
  });
  router.delete('/faq/:id', async (req, res) => {
    const { expectedVersion, note } = parseOr400(versionQuery, req.query, 'query');
    await faq.remove(req.params.id, actorOf(res), { expectedVersion, note });
    res.status(204).end();
  });
  router.get('/faq/:id/history', async (req, res) => {
    res.json({ versions: await faq.history(req.params.id) });
  });
  router.post('/faq/:id/revert', async (req, res) => {
    const { version } = parseOr400(revertBody, req.body);
    res.json(await faq.revert(req.params.id, version, actorOf(res)));
  });

  // ---- Intent examples
  router.get('/intents', (_req, res) => {
    res.json({ items: intents.list() });
  });
  router.get('/intents/export', (req, res) => {
    const { format } = parseOr400(formatQuery, req.query, 'query');
    const defs = intents.export();
    if (format === 'csv') {
      const rows = defs.flatMap((d) =>
        Object.entries(d.examples).flatMap(([language, texts]) =>
          texts.map((text) => [d.intent, language, text]),
        ),
      );
      sendCsv(
        res,
        'intent-examples.csv',
        stringify(rows, { header: true, columns: ['intent', 'language', 'text'], ...CSV_SAFE_STRINGIFY }),
      );
    } else res.json(defs);
  });
  router.post('/intents/import', async (req, res) => {
    const rows = rowsOf(req.body, req.headers['content-type'], (text) => {
      try {
        return parse(text, { columns: true, skip_empty_lines: true, bom: true, cast: csvUnsafeCell }) as unknown[];
      } catch (err) {
        throw validationError('CSV could not be parsed', [
          { field: '(body)', message: (err as Error).message },
        ]);
      }
    }) as { intent: string; language: string; text: string }[];
    res.json(await intents.importExamples(rows, actorOf(res)));
  });
  router.get('/intents/:intent', (req, res) => {
    res.json(intents.get(req.params.intent));
  });
  router.put('/intents/:intent', async (req, res) => {
    res.json(await intents.replace(req.params.intent, req.body, actorOf(res)));
  });
  router.post('/intents/:intent/examples', async (req, res) => {
    res.status(201).json(await intents.addExample(req.params.intent, req.body, actorOf(res)));
  });
  router.delete('/intents/:intent/examples', async (req, res) => {
    const q = parseOr400(intentExampleQuery, req.query, 'query');
    res.json(await intents.removeExample(req.params.intent, q, actorOf(res)));
  });
  router.get('/intents/:intent/history', async (req, res) => {
    res.json({ versions: await intents.history(req.params.intent) });
  });

  // ---- Hot reload and retrieval checks
  router.post('/reload', async (_req, res) => {
    await intents.reloadAll();
    res.json({ knowledge: knowledge.status() });
  });
  router.get('/kb/status', (_req, res) => {
    res.json(knowledge.status());
  });
  router.get('/kb/search', async (req, res) => {
    const { q, lang } = parseOr400(searchQuery, req.query, 'query');
    const result = await knowledge.search(q, lang, 5);
    res.json({
      answerable: result.answerable,
      confidence: result.confidence,
      hits: result.hits.map((h) => ({ id: h.entry.id, intent: h.entry.intent, score: h.score })),
    });
  });

  // ---- Tickets (staff)
  router.get('/tickets', async (req, res) => {
    const q = parseOr400(ticketListQuery, req.query, 'query');
    const items = await tickets.list({
      status: q.status,
      category: q.category,
      from: q.from,
      to: q.to,
      limit: q.limit ?? 100,
    });
    res.json({ items, count: items.length });
  });
  router.get('/tickets/:reference', async (req, res) => {
    const ticket = await tickets.find(req.params.reference);
    if (!ticket) throw new DajeongError('not_found', `ticket ${req.params.reference} not found`);
    res.json(ticket);
  });
  router.post('/tickets/:reference/status', async (req, res) => {
    const body = parseOr400(ticketStatusBody, req.body);
    res.json(await tickets.changeStatus(req.params.reference, { ...body, actor: actorOf(res) }));
  });

  // ---- Notices
  router.get('/notices', async (req, res) => {
    const q = parseOr400(noticeListQuery, req.query, 'query');
    const items =
      q.active === 'true' ? await notices.active() : await store.notices.list({ limit: q.limit ?? 100 });
    res.json({ items, count: items.length });
  });
  router.post('/notices', async (req, res) => {
    const body = parseOr400(noticeCreateBody, req.body);
    const created = await store.notices.create({
      ...body,
      startsAt: body.startsAt ?? new Date(),
      createdBy: actorOf(res),
    });
    notices.invalidate();
    res.status(201).json(created);
  });
  router.patch('/notices/:id', async (req, res) => {
    const body = parseOr400(noticePatchBody, req.body);
    const current = await store.notices.get(req.params.id);
    if (!current) throw new DajeongError('not_found', `notice ${req.params.id} not found`);
    const startsAt = body.startsAt ?? current.startsAt;
    const endsAt = body.endsAt ?? current.endsAt;
    if (endsAt <= startsAt)
      throw validationError('Invalid notice', [{ field: 'endsAt', message: 'must be after startsAt' }]);
    const { region, ...rest } = body;
    const updated = await store.notices.update(req.params.id, {
      ...rest,
      ...(region !== undefined && { region: region ?? undefined }),
    });
    notices.invalidate();
    res.json(updated);
  });
  router.delete('/notices/:id', async (req, res) => {
    await store.notices.delete(req.params.id);
    notices.invalidate();
    res.status(204).end();
  });

  // ---- Unanswered review
  router.get('/unanswered', async (req, res) => {
    const q = parseOr400(unansweredListQuery, req.query, 'query');
    const items = await store.unanswered.list({ status: q.status ?? 'open', limit: q.limit ?? 100 });
    res.json({ items, count: items.length });
  });
  const unansweredItem = async (id: string) => {
    const item = await store.unanswered.get(id);
    if (!item) throw new DajeongError('not_found', `unanswered item ${id} not found`);
    return item;
  };
  router.post('/unanswered/:id/faq', async (req, res) => {
    const item = await unansweredItem(req.params.id);
    const body = parseOr400(unansweredToFaqBody, req.body);
    const actor = actorOf(res);
    let saved;
    if ('faqId' in body) {
      // The question becomes one more variant of an existing entry.
      const current = await faq.get(body.faqId);
      const questions = { ...current.entry.questions };
      const list = questions[item.language] ?? [];
      if (!list.includes(item.text)) questions[item.language] = [...list, item.text];
      saved = await faq.update(body.faqId, { ...current.entry, questions }, actor, {
        expectedVersion: current.version,
        note: `from unanswered ${item.id}`,
      });
    } else {
      // The question is added to the new entry's variants when the editor left it out.
      const entry = body.entry as Partial<FaqEntry> & { questions?: Record<string, string[]> };
      const questions = { ...(entry.questions ?? {}) };
      const list = questions[item.language] ?? [];
      if (!list.includes(item.text)) questions[item.language] = [item.text, ...list];
      saved = await faq.create({ ...entry, questions }, actor, `from unanswered ${item.id}`);
    }
    const resolved = await store.unanswered.resolve(item.id, {
      kind: 'faq',
      target: saved.entry.id,
      actor,
      at: new Date(),
    });
    res.status(201).json({ faq: saved, unanswered: resolved });
  });
  router.post('/unanswered/:id/intent-example', async (req, res) => {
    const item = await unansweredItem(req.params.id);
    const body = parseOr400(unansweredToIntentBody, req.body);
    const actor = actorOf(res);
    const intent = await intents.addExample(
      body.intent,
      { language: body.language ?? item.language, text: item.text },
      actor,
      `from unanswered ${item.id}`,
    );
    const resolved = await store.unanswered.resolve(item.id, {
      kind: 'intent_example',
      target: body.intent,
      actor,
      at: new Date(),
    });
    res
      .status(201)
      .json({
        intent: {
          intent: intent.intent,
          examples: intent.examples[body.language ?? item.language]?.length ?? 0,
        },
        unanswered: resolved,
      });
  });
  router.post('/unanswered/:id/dismiss', async (req, res) => {
    const item = await unansweredItem(req.params.id);
    res.json(
      await store.unanswered.resolve(item.id, { kind: 'dismissed', actor: actorOf(res), at: new Date() }),
    );
  });

  // ---- Privacy requests (both audited by the privacy service)
  router.get('/residents/:id/export', async (req, res) => {
    res.json(await deps.privacy.exportResident(req.params.id, actorOf(res)));
  });
  router.delete('/residents/:id', async (req, res) => {
    res.json(await deps.privacy.deleteResident(req.params.id, actorOf(res)));
  });

  return router;
}
