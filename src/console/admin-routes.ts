/**
 * Console API routes: console accounts (admins) and the audit log (supervisors and admins).
 */
import { parseOr400 } from '../http/http-errors';
import { ADMIN, routeParam, type ConsoleRoute, type ConsoleRouteDeps } from './console-route';
import { auditQuery, createUserBody, updateUserBody } from './console-schemas';
import { toUserView } from './console-views';

/** Console accounts (admins) and the audit log (supervisors and admins). */
export function adminRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  const { store, users } = deps;
  return [
    {
      method: 'get',
      path: '/users',
      roles: ADMIN,
      summary: 'Console accounts',
      async handler() {
        return { items: (await users.list()).map(({ user, presence }) => toUserView(user, presence)) };
      },
    },
    {
      method: 'post',
      path: '/users',
      roles: ADMIN,
      summary: 'Create a console account {login, password, role, languages, teams}',
      body: createUserBody,
      status: 201,
      conflicts: '409 conflict: the login exists',
      async handler({ req, auth: a }) {
        const body = parseOr400(createUserBody, req.body);
        return { user: toUserView(await users.create(a.user, body)) };
      },
    },
    {
      method: 'patch',
      path: '/users/:id',
      roles: ADMIN,
      summary: 'Change an account: role, skills, shift, cap, password, disable or unlock',
      body: updateUserBody,
      async handler({ req, auth: a }) {
        const body = parseOr400(updateUserBody, req.body);
        return { user: toUserView(await users.update(a.user, routeParam(req), body)) };
      },
    },
    {
      method: 'get',
      path: '/audit',
      roles: ['supervisor', 'admin'],
      summary: 'Audit log of counselor and system actions (filter by subject or actor)',
      query: auditQuery,
      async handler({ req }) {
        const q = parseOr400(auditQuery, req.query, 'query');
        const events = await store.audit.list({ ...(q.subject && { subject: q.subject }), ...(q.actor && { actor: q.actor }), limit: q.limit });
        return { items: events.reverse() };
      },
    },
  ];
}
