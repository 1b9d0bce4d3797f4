/**
 * Console API of quality monitoring: the checklist, the reviewers' queue, a review with its
 * read-only transcript, scoring, the daily sample run by hand, a counselor's own reviews with
 * acknowledge/dispute, and the report (JSON and CSV). Mounted with the other console routes, so
 * sessions, roles and CSRF apply as everywhere in /api/console/v1.
 */
import { z } from 'zod';
import type { Message } from '../core/message';
import { QA_RESULTS, QA_STATUSES, type QaReview } from '../core/qa-port';
import type { Store } from '../core/store-port';
import type { ConsoleRole } from '../core/user-port';
import type { QaReportService } from '../handoff/qa-report';
import { qaReportCsv } from '../handoff/qa-report';
import type { QaSampler } from '../handoff/qa-sampler';
import type { QaService } from '../handoff/qa-service';
import { koreaDay } from '../handoff/shift-schedule';
import { parseOr400 } from '../http/http-errors';
import type { ConsoleRoute } from './console-routes';
import { toConsoleMessage } from './console-views';

const REVIEWERS: ConsoleRole[] = ['qa', 'supervisor'];
const COUNSELOR: ConsoleRole[] = ['counselor'];
const DAY_MS = 86_400_000;
/** Most transcript messages a reviewer sees (a chat longer than this is cut at the end). */
const MAX_TRANSCRIPT = 2000;

/** A calendar day as YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d && d >= '2000-01-01';
  }, 'a real calendar day from 2000 on');

export const qaQueueQuery = z.object({ status: z.enum(QA_STATUSES).optional() });
export const qaScoreBody = z.object({
  answers: z.array(z.object({ itemId: z.string().max(40), result: z.enum(QA_RESULTS), comment: z.string().max(1000).optional() })).max(300),
  comment: z.string().max(2000).optional(),
});
export const qaRespondBody = z.object({ comment: z.string().max(2000).optional() });
export const qaEnqueueBody = z.object({ conversationId: z.string().min(1).max(100) });
export const qaSampleBody = z.object({ day: day.optional() });
export const qaReportQuery = z
  .object({ from: day.optional(), to: day.optional(), period: z.enum(['week', 'month']).default('week') })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

const reviewView = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    counselorId: z.string(),
    status: z.enum(QA_STATUSES),
    reasons: z.array(z.string()),
    day: z.string(),
    scorings: z.array(z.object({ round: z.number(), score: z.number(), rawScore: z.number(), criticalFailed: z.boolean() }).loose()),
  })
  .loose();

export interface QaRouteDeps {
  store: Store;
  qa: QaService;
  sampler: QaSampler;
  reports: QaReportService;
}

export function qaRoutes(deps: QaRouteDeps): ConsoleRoute[] {
  const { store, qa } = deps;
  const id = (params: Record<string, unknown>) => String(params['id'] ?? '');
  const names = async () => new Map((await store.users.list()).map((u) => [u.id, u.displayName]));
  const view = (r: QaReview, userNames: Map<string, string>) => ({
    ...r,
    counselorName: userNames.get(r.counselorId) ?? r.counselorId,
    scorings: r.scorings.map((s) => ({ ...s, reviewerName: userNames.get(s.reviewerId) ?? s.reviewerId })),
  });
  const transcript = async (conversationId: string) => {
    const [messages, flags] = await Promise.all([store.messages.listByConversation(conversationId, { limit: MAX_TRANSCRIPT }), store.messageFlags.listByConversation(conversationId)]);
    const abusive = new Set(flags.map((f) => f.messageId));
    return messages.map((m: Message) => toConsoleMessage(m, abusive));
  };
  const range = (q: z.infer<typeof qaReportQuery>) => {
    const to = q.to ?? koreaDay(new Date());
    return { from: q.from ?? koreaDay(new Date(Date.parse(`${to}T00:00:00Z`) - 27 * DAY_MS)), to, period: q.period };
  };

  return [
    {
      method: 'get',
      path: '/qa/checklist',
      roles: [...REVIEWERS, ...COUNSELOR],
      summary: 'The QA checklist in force: groups of items with weights, critical and not-applicable flags, Korean and English texts',
      async handler() {
        return qa.checklist;
      },
    },
    {
      method: 'get',
      path: '/qa/reviews',
      roles: REVIEWERS,
      summary: 'Reviews to score: pending and disputed (or one status), oldest close first',
      query: qaQueueQuery,
      response: z.object({ items: z.array(reviewView) }),
      async handler({ req }) {
        const q = parseOr400(qaQueueQuery, req.query, 'query');
        const [items, userNames] = await Promise.all([qa.queue(q.status ? [q.status] : undefined), names()]);
        return { items: items.map((r) => view(r, userNames)) };
      },
    },
    {
      method: 'post',
      path: '/qa/reviews',
      roles: REVIEWERS,
      summary: 'Queue one closed chat for review by hand (reason "manual"); a chat already queued keeps its review',
      body: qaEnqueueBody,
      conflicts: '409 the chat was not closed by a counselor; 404 no such chat',
      response: z.object({ review: reviewView, created: z.boolean() }),
      async handler({ req, auth }) {
        const body = parseOr400(qaEnqueueBody, req.body ?? {});
        const { review, created } = await qa.enqueue(body.conversationId, auth.user);
        return { review: view(review, await names()), created };
      },
    },
    {
      method: 'get',
      path: '/qa/reviews/:id',
      roles: [...REVIEWERS, ...COUNSELOR],
      summary: 'One review with the chat’s transcript (read-only); counselors only their own, once scored',
      conflicts: '403 a counselor asking for someone else’s review; 404 no such review',
      async handler({ req, auth }) {
        const review = await qa.readable(id(req.params), auth.user);
        const [messages, userNames] = await Promise.all([transcript(review.conversationId), names()]);
        return { review: view(review, userNames), messages };
      },
    },
    {
      method: 'post',
      path: '/qa/reviews/:id/score',
      roles: REVIEWERS,
      summary: 'Score a pending review, or answer a dispute, against the checklist (every item pass/fail/na; a failed item needs a comment); audited',
      body: qaScoreBody,
      conflicts: '409 own chat, already scored, or another reviewer scored it first; 404 no such review',
      response: z.object({ review: reviewView }),
      async handler({ req, auth }) {
        const body = parseOr400(qaScoreBody, req.body ?? {});
        return { review: view(await qa.score(id(req.params), auth.user, body), await names()) };
      },
    },
    {
      method: 'post',
      path: '/qa/sample',
      roles: ['supervisor'],
      summary: 'Queue the daily sample of a Korea day now (default yesterday); runs once per day across instances',
      body: qaSampleBody,
      response: z.object({ day: z.string(), ran: z.boolean(), queued: z.number(), candidates: z.number() }),
      async handler({ req, auth }) {
        const body = parseOr400(qaSampleBody, req.body ?? {});
        const outcome = await deps.sampler.sampleDay(body.day ?? koreaDay(new Date(Date.now() - DAY_MS)), auth.user.id);
        if (outcome.ran) await store.audit.record({ actor: auth.user.id, action: 'qa.sample', subject: outcome.day, details: { queued: outcome.queued } });
        return outcome;
      },
    },
    {
      method: 'get',
      path: '/qa/mine',
      roles: COUNSELOR,
      summary: 'My scored reviews, newest first, with what waits for my acknowledgement',
      response: z.object({ items: z.array(reviewView) }),
      async handler({ auth }) {
        const [items, userNames] = await Promise.all([qa.mine(auth.user.id), names()]);
        return { items: items.map((r) => view(r, userNames)) };
      },
    },
    {
      method: 'post',
      path: '/qa/reviews/:id/acknowledge',
      roles: COUNSELOR,
      summary: 'Acknowledge my scored review (optional comment); audited',
      body: qaRespondBody,
      conflicts: '409 not waiting for an answer; 403 not my review',
      response: z.object({ review: reviewView }),
      async handler({ req, auth }) {
        const body = parseOr400(qaRespondBody, req.body ?? {});
        return { review: view(await qa.respond(id(req.params), auth.user, 'acknowledge', body.comment), await names()) };
      },
    },
    {
      method: 'post',
      path: '/qa/reviews/:id/dispute',
      roles: COUNSELOR,
      summary: 'Dispute my scored review with a comment: it goes back to the reviewers; audited',
      body: qaRespondBody,
      conflicts: '409 not waiting for an answer; 403 not my review',
      response: z.object({ review: reviewView }),
      async handler({ req, auth }) {
        const body = parseOr400(qaRespondBody, req.body ?? {});
        return { review: view(await qa.respond(id(req.params), auth.user, 'dispute', body.comment), await names()) };
      },
    },
    {
      method: 'get',
      path: '/qa/report',
      roles: REVIEWERS,
      summary: 'QA scores per counselor, team, checklist item and week or month beside CSAT (kindness, professionalism, promptness); default the last 28 days',
      query: qaReportQuery,
      async handler({ req }) {
        const q = range(parseOr400(qaReportQuery, req.query, 'query'));
        return deps.reports.build(q.from, q.to, q.period);
      },
    },
    {
      method: 'get',
      path: '/qa/report.csv',
      roles: REVIEWERS,
      summary: 'The QA report as CSV (one table, a section column; cells that would run as formulas are escaped)',
      query: qaReportQuery,
      raw: true,
      async handler({ req, res }) {
        const q = range(parseOr400(qaReportQuery, req.query, 'query'));
        const report = await deps.reports.build(q.from, q.to, q.period);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="dajeong-qa-${q.from}-${q.to}.csv"`);
        // BOM so spreadsheet programs read the Korean text as UTF-8.
        res.send(`\uFEFF${qaReportCsv(report)}`);
        return undefined;
      },
    },
  ];
}
