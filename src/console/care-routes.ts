/**
 * Console API of counselor care: the break offered after an abusive or crisis chat (and taking
 * it), supervisors' view of each counselor's abusive and crisis load, and handing an abusive chat
 * to a supervisor in one click. Mounted with the other console routes (sessions, roles, CSRF).
 */
import { z } from 'zod';
import type { ConsoleRole } from '../core/user-port';
import type { CareService } from '../handoff/care-service';
import { parseOr400 } from '../http/http-errors';
import type { ConsoleRoute } from './console-routes';

const CHAT_STAFF: ConsoleRole[] = ['counselor', 'supervisor'];

export const toSupervisorBody = z.object({ note: z.string().max(1000).optional() });

export function careRoutes(deps: { care: CareService }): ConsoleRoute[] {
  const { care } = deps;
  return [
    {
      method: 'get',
      path: '/care/me',
      roles: CHAT_STAFF,
      summary: 'The break offered to me after an abusive or crisis chat (if any), and my break in progress',
      response: z.object({ offer: z.object({ conversationId: z.string(), kind: z.enum(['abuse', 'crisis']), minutes: z.number() }).optional(), breakUntil: z.string().optional() }),
      async handler({ auth }) {
        const now = new Date();
        const offer = await care.offer(auth.user, now);
        const breakUntil = auth.user.careBreak && auth.user.careBreak.until > now ? auth.user.careBreak.until.toISOString() : undefined;
        return { ...(offer && { offer }), ...(breakUntil && { breakUntil }) };
      },
    },
    {
      method: 'post',
      path: '/care/break',
      roles: CHAT_STAFF,
      summary: 'Take the offered break: the router gives me no new chat until it ends; audited',
      conflicts: '409 no break is offered',
      response: z.object({ breakUntil: z.string() }),
      async handler({ auth }) {
        const user = await care.takeBreak(auth.user);
        return { breakUntil: user.careBreak!.until.toISOString() };
      },
    },
    {
      method: 'get',
      path: '/care/load',
      roles: ['supervisor'],
      summary: 'Each counselor’s abusive and crisis chats of the last 12 hours, flagged chats in a row, and breaks in progress',
      response: z.object({ items: z.array(z.object({ counselorId: z.string(), name: z.string(), abuse: z.number(), crisis: z.number(), streak: z.number(), alert: z.boolean() }).loose()), alertStreak: z.number() }),
      async handler() {
        return { items: await care.load(), alertStreak: care.settings.alertStreak };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/to-supervisor',
      roles: ['counselor'],
      summary: 'Hand my abusive chat to the available supervisor with the fewest chats (a transfer naming them, with an abuse alert); audited',
      body: toSupervisorBody,
      conflicts: '409 no supervisor available, or the chat is not active; 403 not my chat',
      async handler({ req, auth }) {
        const body = parseOr400(toSupervisorBody, req.body ?? {});
        const { conversation, supervisor } = await care.handToSupervisor(auth.user, String(req.params['id'] ?? ''), body.note);
        return { conversationId: conversation.id, state: conversation.state, supervisor };
      },
    },
  ];
}
