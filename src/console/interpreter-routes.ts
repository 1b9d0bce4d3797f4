/**
 * Console API routes of interpreters in chats: the standby pool (counselors and supervisors), the
 * invitation from a chat's counselor, and the interpreter's reduced view: their invitations, the
 * transcript from their join, join, write to the resident or the counselor, leave. Interpreters
 * reach chats only through these routes (every other conversation route needs a counselor or
 * supervisor), and each call checks the invitation is theirs and still live.
 */
import { z } from 'zod';
import type { InterpreterSession } from '../core/interpreter-port';
import type { ConsoleRole } from '../core/user-port';
import type { InvitationView } from '../handoff/interpreter-service';
import { parseOr400 } from '../http/http-errors';
import { STAFF, routeParam, type ConsoleRoute, type ConsoleRouteDeps } from './console-route';
import { toConsoleMessage } from './console-views';

const INTERPRETER: ConsoleRole[] = ['interpreter'];
const language = z.string().regex(/^[a-z]{2,3}$/, 'a 2–3 letter language code such as ko, en, vi');

export const poolQuery = z.object({ language: language.optional() });
export const inviteBody = z.object({ interpreterId: z.string().min(1).max(64).optional(), language: language.optional() });
export const interpreterMessageBody = z.object({
  to: z.enum(['resident', 'counselor']).describe('resident: delivered on their channel; counselor: internal, never delivered'),
  text: z.string().trim().min(1).max(4000),
});

/** An invitation as the console shows it. */
export function toSessionView(s: InterpreterSession, names: Map<string, string> = new Map()) {
  return {
    id: s.id,
    conversationId: s.conversationId,
    interpreterId: s.interpreterId,
    interpreterName: names.get(s.interpreterId) ?? s.interpreterId,
    language: s.language,
    status: s.status,
    invitedAt: s.invitedAt.toISOString(),
    ...(s.joinedAt && { joinedAt: s.joinedAt.toISOString() }),
    ...(s.leftAt && { leftAt: s.leftAt.toISOString() }),
  };
}

/** What an interpreter sees of an invited chat: its language and channel and the counselor, no resident details. */
function toInvitationView(v: InvitationView) {
  return {
    session: toSessionView(v.session),
    conversation: { id: v.conversation.id, language: v.conversation.language, channel: v.conversation.channel, state: v.conversation.state },
    ...(v.counselorName && { counselorName: v.counselorName }),
  };
}

export function interpreterRoutes(deps: Pick<ConsoleRouteDeps, 'handoff' | 'cases'>): ConsoleRoute[] {
  const interpreters = deps.handoff.interpreters;
  return [
    {
      method: 'get',
      path: '/interpreters',
      roles: STAFF,
      summary: 'The interpreter pool: every interpreter with languages, presence and shift; standby = may be invited now (language filters)',
      query: poolQuery,
      async handler({ req }) {
        const { language: lang } = parseOr400(poolQuery, req.query, 'query');
        const pool = await interpreters.pool(lang);
        return {
          items: pool.map(({ user, presence, standby, active }) => ({
            id: user.id,
            displayName: user.displayName,
            languages: user.languages,
            ...(user.shift && { shift: user.shift }),
            presence,
            standby,
            active,
          })),
        };
      },
    },
    {
      method: 'get',
      path: '/conversations/:id/interpreters',
      roles: STAFF,
      summary: 'The interpreters invited into a chat, oldest first',
      async handler({ req, auth: a }) {
        const c = await deps.cases.readable(a.user, routeParam(req));
        const [sessions, names] = await Promise.all([deps.handoff.interpreters.sessionsOf(c.id), deps.cases.names()]);
        return { items: sessions.map((s) => toSessionView(s, names)) };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/interpreters',
      roles: STAFF,
      summary: 'Invite an interpreter into my chat: the one named, or the first on standby for the language (default: the resident’s); outcome invited with the invitation (the same one when asked again). None on standby: outcome none_on_standby, the resident is told and offered a callback',
      body: inviteBody,
      conflicts: '403 not_owner; 404 no such interpreter for the language; 409 not_assigned, interpreter_left',
      async handler({ req, auth: a }) {
        const body = parseOr400(inviteBody, req.body);
        const result = await interpreters.invite(a.user, routeParam(req), body);
        if (result.outcome === 'none_on_standby') return result;
        return { outcome: result.outcome, session: toSessionView(result.session, await deps.cases.names()) };
      },
    },
    {
      method: 'get',
      path: '/interpreting',
      roles: INTERPRETER,
      summary: 'Interpreter: the chats I am invited into or have joined (still live), newest first',
      async handler({ auth: a }) {
        return { items: (await interpreters.invitations(a.user)).map(toInvitationView) };
      },
    },
    {
      method: 'get',
      path: '/interpreting/:sessionId',
      roles: INTERPRETER,
      summary: 'Interpreter: one invitation and the transcript from my join on (empty before joining)',
      conflicts: '404 not invited; 409 interpreter_left (the chat moved on or I left)',
      async handler({ req, auth: a }) {
        const view = await interpreters.view(a.user, routeParam(req, 'sessionId'));
        return { ...toInvitationView(view), messages: view.messages.map((m) => toConsoleMessage(m, new Set())) };
      },
    },
    {
      method: 'post',
      path: '/interpreting/:sessionId/join',
      roles: INTERPRETER,
      summary: 'Interpreter: join the chat (once); the resident is told in their language',
      conflicts: '404 not invited; 409 already_joined, interpreter_left',
      async handler({ req, auth: a }) {
        return { session: toSessionView(await interpreters.join(a.user, routeParam(req, 'sessionId'))) };
      },
    },
    {
      method: 'post',
      path: '/interpreting/:sessionId/messages',
      roles: INTERPRETER,
      summary: 'Interpreter: write to the resident (delivered on their channel, with my name) or to the counselor (internal)',
      body: interpreterMessageBody,
      conflicts: '404 not invited; 409 not_joined, interpreter_left',
      async handler({ req, auth: a }) {
        const body = parseOr400(interpreterMessageBody, req.body);
        return { message: toConsoleMessage(await interpreters.say(a.user, routeParam(req, 'sessionId'), body), new Set()) };
      },
    },
    {
      method: 'post',
      path: '/interpreting/:sessionId/leave',
      roles: [...INTERPRETER, ...STAFF],
      summary: 'End an invitation: the interpreter leaves, or the chat’s counselor (or a supervisor) lets them go; the resident is told',
      conflicts: '404 not invited / not your chat; 409 interpreter_left',
      async handler({ req, auth: a }) {
        return { session: toSessionView(await interpreters.leave(a.user, routeParam(req, 'sessionId'))) };
      },
    },
  ];
}
