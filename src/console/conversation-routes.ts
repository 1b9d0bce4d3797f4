/**
 * Console API routes: a counselor's work: the queue, chats and their transcripts, replies and notes, transfer, close,
 * hand-back and requeue, abuse handling, canned answers and the staff to transfer to.
 */
import { z } from 'zod';
import type { Conversation } from '../core/conversation';
import { contentOf } from '../core/message';
import { HandoffError } from '../handoff/handoff-errors';
import { parseOr400 } from '../http/http-errors';
import { STAFF, SUPERVISOR, routeParam, type ConsoleRoute, type ConsoleRouteDeps, type RouteContext } from './console-route';
import { cannedQuery, closeBody, conversationsQuery, noteBody, queueItemView, replyBody, reportAbuseBody, transferBody } from './console-schemas';
import { toConsoleMessage, toConversationView, toQueueItem, toUserView } from './console-views';

/** The conversation routes, in document order. */
export function conversationRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  const { store, cases, abuse, users } = deps;
  const service = deps.handoff.service;
  /** A route that changes who owns a chat and answers with the updated conversation. */
  const ownerChange = (
    route: Pick<ConsoleRoute, 'path' | 'roles' | 'summary' | 'body' | 'conflicts'>,
    act: (ctx: RouteContext) => Promise<Conversation>,
  ): ConsoleRoute => ({
    method: 'post',
    ...route,
    handler: async (ctx) => ({ conversation: toConversationView(await act(ctx), await cases.names()) }),
  });
  return [
    {
      method: 'get',
      path: '/queue',
      roles: STAFF,
      summary: 'The waiting chats in serving order (priority, then first come first served)',
      response: z.object({ items: z.array(queueItemView) }),
      async handler({ auth: a }) {
        return { items: (await service.queue()).map((e) => toQueueItem(e, a.user)) };
      },
    },
    {
      method: 'get',
      path: '/conversations',
      roles: STAFF,
      summary: 'My assigned chats (scope=mine), or every assigned chat (scope=all, supervisors)',
      query: conversationsQuery,
      async handler({ req, auth: a }) {
        const { scope } = parseOr400(conversationsQuery, req.query, 'query');
        if (scope === 'all' && a.user.role !== 'supervisor') throw new HandoffError(403, 'forbidden', { key: 'staff.error.onlySupervisorsListAll' });
        const list = await store.conversations.list({ states: ['assigned'], ...(scope === 'mine' && { assigneeId: a.user.id }), limit: 1000 });
        const userNames = await cases.names();
        return { items: list.map((c) => toConversationView(c, userNames)) };
      },
    },
    {
      method: 'get',
      path: '/conversations/:id',
      roles: STAFF,
      summary: 'A chat with its full transcript (bot part included), language, intent, the resident’s channels, past chats and tickets',
      conflicts: '403 assigned to another counselor (supervisors may read any)',
      async handler({ req, auth: a }) {
        return cases.detail(await cases.readable(a.user, routeParam(req)));
      },
    },
    ownerChange(
      {
        path: '/conversations/:id/accept',
        roles: STAFF,
        summary: 'Take a queued chat; exactly one of several concurrent accepts wins',
        conflicts: '409 already_assigned (someone else won), not_queued, at_capacity',
      },
      ({ req, auth: a }) => service.accept(a.user, routeParam(req)),
    ),
    {
      method: 'post',
      path: '/conversations/:id/messages',
      roles: STAFF,
      summary: 'Reply to the resident (text, quick replies, links); delivered on the resident’s channel',
      body: replyBody,
      conflicts: '403 not_owner; 409 not_assigned',
      async handler({ req, auth: a }) {
        const body = parseOr400(replyBody, req.body);
        const sent = await service.reply(
          a.user,
          routeParam(req),
          contentOf({
            ...(body.text?.trim() && { text: body.text.trim() }),
            ...(body.quickReplies?.length && { quickReplies: body.quickReplies }),
            ...(body.links?.length && { links: body.links }),
          }),
        );
        return { messages: sent.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/notes',
      roles: STAFF,
      summary: 'Add an internal note (never shown to the resident)',
      conflicts: '403 not_owner; 409 not_assigned (a counselor notes only their own chat; supervisors any)',
      body: noteBody,
      async handler({ req, auth: a }) {
        const { text } = parseOr400(noteBody, req.body);
        return { message: toConsoleMessage(await service.note(a.user, routeParam(req), text), new Set()) };
      },
    },
    ownerChange(
      {
        path: '/conversations/:id/transfer',
        roles: STAFF,
        summary: 'Transfer to a counselor (toCounselorId) or a team, with an optional note',
        body: transferBody,
        conflicts: '403 not_owner; 409 not_active (only a queued or assigned chat moves), not_assigned',
      },
      ({ req, auth: a }) => service.transfer(a.user, routeParam(req), parseOr400(transferBody, req.body)),
    ),
    ownerChange(
      {
        path: '/conversations/:id/close',
        roles: STAFF,
        summary: 'Close with a resolution code; sends the satisfaction survey. Unanswered resident message: 409 unless confirm=true',
        body: closeBody,
        conflicts: '409 resident_waiting (we never hang up first), not_assigned; 400 text_only (a hearing-impaired chat closed as callback)',
      },
      ({ req, auth: a }) => service.close(a.user, routeParam(req), parseOr400(closeBody, req.body)),
    ),
    ownerChange(
      { path: '/conversations/:id/handback', roles: STAFF, summary: 'Hand the chat back to the bot', conflicts: '403 not_owner; 409 not_assigned' },
      ({ req, auth: a }) => service.handback(a.user, routeParam(req)),
    ),
    ownerChange(
      {
        path: '/conversations/:id/requeue',
        roles: SUPERVISOR,
        summary: 'Put a chat back in the queue (its counselor is gone, or an accept stopped half-way)',
        conflicts: '409 not_active (only a queued or assigned chat goes back to the queue)',
      },
      ({ req, auth: a }) => service.requeue(a.user, routeParam(req)),
    ),
    {
      method: 'post',
      path: '/conversations/:id/messages/:messageId/reveal',
      roles: STAFF,
      summary: 'Show a message masked as abusive (the reveal is audited)',
      async handler({ req, auth: a }) {
        const m = await abuse.reveal(a.user, routeParam(req), routeParam(req, 'messageId'));
        return { message: { ...toConsoleMessage(m, new Set()), abusive: true } };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/warn',
      roles: STAFF,
      summary: 'Send the standard warning about abusive language, in the resident’s language',
      conflicts: '403 not_owner; 409 not_assigned (sent as my reply, so only in my own chat)',
      async handler({ req, auth: a }) {
        const sent = await abuse.warn(a.user, routeParam(req));
        return { messages: sent.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/report-abuse',
      roles: STAFF,
      summary: 'Escalate abuse to supervisors; copies of the flagged messages are kept as evidence',
      body: reportAbuseBody,
      async handler({ req, auth: a }) {
        const { note } = parseOr400(reportAbuseBody, req.body);
        return abuse.report(a.user, routeParam(req), note);
      },
    },
    {
      method: 'get',
      path: '/canned',
      roles: STAFF,
      summary: 'Canned answers from the knowledge base, in a language (q = search words)',
      query: cannedQuery,
      async handler({ req }) {
        const { q, lang } = parseOr400(cannedQuery, req.query, 'query');
        return { items: deps.canned.search(q, lang) };
      },
    },
    {
      method: 'get',
      path: '/counselors',
      roles: STAFF,
      summary: 'Counselors and supervisors with presence, skills and load (for transfers)',
      async handler() {
        const { items, teams } = await users.staff();
        return { items: items.map(({ user, presence, load, cap }) => ({ ...toUserView(user, presence), load, cap })), teams };
      },
    },
  ];
}
