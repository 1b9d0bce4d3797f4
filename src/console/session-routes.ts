/**
 * Console API routes: signing in and out, the session, and presence.
 */
import { z } from 'zod';
import { parseOr400 } from '../http/http-errors';
import { STAFF, type ConsoleRoute, type ConsoleRouteDeps } from './console-route';
import { loginBody, presenceBody, RESOLUTION_CODES } from './console-schemas';
import { toUserView } from './console-views';

/** Signing in and out, the session, and presence. */
export function sessionRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  const { handoff, auth, users } = deps;
  return [
    {
      method: 'post',
      path: '/login',
      roles: 'public',
      summary: 'Sign in: sets the HttpOnly session cookie and returns the CSRF token for x-csrf-token',
      body: loginBody,
      before: deps.loginLimiters,
      conflicts: '401 wrong login or password; 429 too many failed sign-ins (Retry-After)',
      response: z.object({ csrfToken: z.string(), user: z.object({ id: z.string(), role: z.string() }).loose() }),
      async handler({ req, res }) {
        const body = parseOr400(loginBody, req.body);
        const result = await auth.login(body.login, body.password, req.ip);
        auth.setCookie(res, result.token, req.secure);
        return { csrfToken: result.session.csrfToken, user: toUserView(result.user) };
      },
    },
    {
      method: 'post',
      path: '/logout',
      roles: 'any',
      summary: 'Sign out: ends the session (counselors go offline)',
      async handler({ res, auth: a }) {
        await auth.logout(a);
        auth.clearCookie(res);
        return { ok: true };
      },
    },
    {
      method: 'get',
      path: '/session',
      roles: 'any',
      summary: 'The signed-in user, the CSRF token and console settings (after a page reload)',
      async handler({ auth: a }) {
        return {
          user: toUserView(a.user, users.presenceOf(a.user)),
          csrfToken: a.session.csrfToken,
          routing: handoff.routing,
          resolutionCodes: RESOLUTION_CODES,
        };
      },
    },
    {
      method: 'post',
      path: '/presence',
      roles: [...STAFF, 'interpreter'],
      summary: 'Set my presence: available (takes chats; interpreters: on standby), away, offline',
      body: presenceBody,
      async handler({ req, auth: a }) {
        const { status } = parseOr400(presenceBody, req.body);
        return { user: toUserView(await users.setPresence(a.user, status)) };
      },
    },
  ];
}
