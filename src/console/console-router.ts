/**
 * Turns the route table into an express router: session authentication (401), role check (403),
 * CSRF check on state-changing requests (403), then the handler; handoff errors become
 * `{error: {code, message}}` with their status, everything else goes to the shared error handler.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { ConsoleRole } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { StaffKey } from '../i18n/locales';
import { tr } from '../i18n/translate';
import { errorBody } from '../http/http-errors';
import { consoleLanguage } from './console-language';
import { SESSION_COOKIE, type ConsoleAuth } from './console-auth';
import type { ConsoleRoute, RouteContext } from './console-routes';

export function buildConsoleRouter(routes: ConsoleRoute[], auth: ConsoleAuth, openApi: () => unknown): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi());
  });
  for (const route of routes) {
    const run = async (req: Request, res: Response, next: NextFunction) => {
      try {
        let ctx: RouteContext = { req, res, auth: undefined as never };
        if (route.roles !== 'public') {
          const authenticated = await auth.authenticate((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
          if (!authenticated) throw new HandoffError(401, 'unauthorized', { key: 'staff.error.signInFirst' });
          if (route.roles !== 'any' && !route.roles.includes(authenticated.user.role)) {
            throw new HandoffError(403, 'forbidden', { key: 'staff.error.roleRequired', values: roleValues(route.roles, authenticated.user.role, consoleLanguage(req)) });
          }
          if (req.method !== 'GET' && !auth.csrfOk(authenticated.session, req.headers['x-csrf-token'])) {
            throw new HandoffError(403, 'csrf_failed', { key: 'staff.error.csrfFailed' });
          }
          ctx = { req, res, auth: authenticated };
        } else if (req.method !== 'GET' && !req.is('application/json')) {
          // A JSON content type cannot be sent cross-site without CORS, so forms cannot log anyone in.
          throw new HandoffError(400, 'validation', { key: 'staff.error.jsonBodyRequired' });
        }
        const result = await route.handler(ctx);
        if (!route.raw) res.status(route.status ?? 200).json(result);
      } catch (err) {
        if (err instanceof HandoffError) {
          const retryAfter = err.details?.retryAfterSeconds;
          if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
          res.status(err.status).json({ ...errorBody(err.code, err.messageIn(consoleLanguage(req))), ...(err.details && { details: err.details }) });
          return;
        }
        next(err);
      }
    };
    router[route.method](route.path, ...(route.before ?? []), run);
  }
  return router;
}

const ROLE_LABELS: Record<ConsoleRole, StaffKey> = {
  counselor: 'staff.role.counselor',
  supervisor: 'staff.role.supervisor',
  admin: 'staff.role.admin',
  qa: 'staff.role.qa',
};

/** The roles a route needs ("counselor or supervisor") and the caller's role, in the console's language. */
function roleValues(needed: ConsoleRole[], role: ConsoleRole, language: string) {
  const label = (r: ConsoleRole) => tr(ROLE_LABELS[r], language);
  return { roles: new Intl.ListFormat(language, { type: 'disjunction' }).format(needed.map(label)), role: label(role) };
}
