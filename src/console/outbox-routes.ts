/**
 * Console API for undelivered replies (supervisors): list failed, retrying or discarded outbox
 * entries with the platform's last error, retry or discard a failed one (audited). Mounted with the
 * other console routes, so sessions, roles and CSRF apply as everywhere in /api/console/v1.
 */
import { z } from 'zod';
import type { ConsoleRole } from '../core/user-port';
import { parseOr400 } from '../http/http-errors';
import type { OutboxReviewService } from '../turn/outbox-review-service';
import type { ConsoleRoute } from './console-routes';

export const outboxListQuery = z.object({
  view: z.enum(['failed', 'retrying', 'discarded']).default('failed'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const outboxDiscardBody = z.object({ note: z.string().trim().max(500).optional() });

const entryView = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    channel: z.string(),
    status: z.enum(['pending', 'sent', 'failed', 'discarded']),
    attempts: z.number(),
    lastError: z.string().optional(),
    preview: z.string().optional(),
  })
  .loose();

const SUPERVISOR: ConsoleRole[] = ['supervisor'];

export function outboxRoutes(deps: { review: OutboxReviewService }): ConsoleRoute[] {
  const { review } = deps;
  const id = (params: Record<string, unknown>) => String(params['id'] ?? '');
  return [
    {
      method: 'get',
      path: '/outbox',
      roles: SUPERVISOR,
      summary: 'Undelivered replies: failed (given up), retrying, or discarded, oldest first, with the last platform error',
      query: outboxListQuery,
      response: z.object({
        items: z.array(entryView),
        summary: z.object({ pending: z.number(), failed: z.number(), oldestPendingAt: z.string().optional() }).loose(),
      }),
      async handler({ req }) {
        const q = parseOr400(outboxListQuery, req.query, 'query');
        const [items, summary] = await Promise.all([review.list(q.view, q.limit), review.summary()]);
        return { items, summary };
      },
    },
    {
      method: 'post',
      path: '/outbox/:id/retry',
      roles: SUPERVISOR,
      summary: 'Send a failed reply again (next in its conversation); audited',
      conflicts: '409 the entry is not failed (sent, pending or discarded); 404 no such entry',
      response: entryView,
      async handler({ req, auth }) {
        return review.retry(id(req.params), auth.user.id);
      },
    },
    {
      method: 'post',
      path: '/outbox/:id/discard',
      roles: SUPERVISOR,
      summary: 'Give a failed reply up for good; audited with an optional note',
      body: outboxDiscardBody,
      conflicts: '409 the entry is not failed (sent, pending or discarded); 404 no such entry',
      response: entryView,
      async handler({ req, auth }) {
        const body = parseOr400(outboxDiscardBody, req.body ?? {});
        return review.discard(id(req.params), auth.user.id, body.note);
      },
    },
  ];
}
