/**
 * Conversation search for staff: by words in messages, resident, ticket reference and date. Counselors
 * only get conversations they could open anyway (see conversation-access.ts); supervisors get all.
 */
import { z } from 'zod';
import type { Conversation } from '../core/conversation';
import type { Message } from '../core/message';
import type { Store } from '../core/store-port';
import { HandoffError } from '../handoff/handoff-errors';
import { queryWords } from '../handoff/word-match';
import { parseOr400 } from '../http/http-errors';
import type { ConsoleRoute } from './console-routes';
import { canRead } from './conversation-access';
import { toConversationView } from './console-views';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-03-01');
export const searchQuery = z.object({
  q: z.string().max(200).optional(),
  ticket: z.string().max(40).optional(),
  resident: z.string().max(64).optional(),
  from: day.optional(),
  to: day.optional(),
});

/** The call center works in Korea time: a day is 00:00–24:00 KST. */
const kstDay = (d: string, plusDays = 0) => new Date(Date.parse(`${d}T00:00:00+09:00`) + plusDays * 86_400_000);
const MAX_CONVERSATIONS = 30;

export function searchRoutes(deps: { store: Store }): ConsoleRoute[] {
  const { store } = deps;
  return [
    {
      method: 'get',
      path: '/search',
      roles: ['counselor', 'supervisor'],
      summary: 'Find conversations by words (q, every word must occur), resident id, ticket reference (GG-YYYYMMDD-NNNN) and Korea-time dates (from, to inclusive)',
      query: searchQuery,
      async handler({ req, auth }) {
        const q = parseOr400(searchQuery, req.query, 'query');
        const words = queryWords(q.q ?? '');
        if (!words.length && !q.ticket && !q.resident && !q.from && !q.to) {
          throw new HandoffError(400, 'validation', { key: 'staff.error.searchNeedsCriteria' });
        }
        const hits = new Map<string, { ticket?: string; matches: Message[] }>();
        if (q.ticket) {
          const ticket = await store.tickets.getByReference(q.ticket.trim().toUpperCase());
          if (ticket) hits.set(ticket.conversationId, { ticket: ticket.reference, matches: [] });
        } else {
          const messages = await store.messageSearch.find({
            ...(words.length && { words }),
            ...(q.resident && { residentId: q.resident }),
            ...(q.from && { from: kstDay(q.from) }),
            ...(q.to && { to: kstDay(q.to, 1) }),
            limit: 300,
          });
          for (const m of messages) {
            const hit = hits.get(m.conversationId) ?? { matches: [] };
            if (hit.matches.length < 3) hit.matches.push(m);
            hits.set(m.conversationId, hit);
            if (hits.size >= MAX_CONVERSATIONS * 2) break;
          }
        }
        const names = new Map((await store.users.list()).map((u) => [u.id, u.displayName]));
        const items = [];
        for (const [conversationId, hit] of hits) {
          const c: Conversation | undefined = await store.conversations.get(conversationId);
          if (!c || !(await canRead(store, auth.user, c))) continue;
          const tickets = hit.ticket ? [hit.ticket] : (await store.tickets.list({ residentId: c.residentId, limit: 20 })).filter((t) => t.conversationId === c.id).map((t) => t.reference);
          items.push({
            conversation: toConversationView(c, names),
            tickets,
            matches: hit.matches.map((m) => ({
              messageId: m.id,
              seq: m.seq,
              author: m.author,
              internal: Boolean(m.flags?.internal),
              // Abusive text stays hidden here as in the transcript.
              text: m.flags?.abusive ? undefined : (m.content.text ?? '').slice(0, 160),
              createdAt: m.createdAt.toISOString(),
            })),
          });
          if (items.length >= MAX_CONVERSATIONS) break;
        }
        return { items };
      },
    },
  ];
}
