/**
 * The console API (/api/console/v1) as one table: method, path, the roles allowed, the zod
 * schemas and the handler. The router and the OpenAPI document are both built from this table,
 * so what is enforced and what is documented cannot drift apart.
 */
import { adminRoutes } from './admin-routes';
import type { ConsoleRoute, ConsoleRouteDeps } from './console-route';
import { conversationRoutes } from './conversation-routes';
import { interpreterRoutes } from './interpreter-routes';
import { sessionRoutes } from './session-routes';
import { supervisorRoutes } from './supervisor-routes';

/**
 * The whole route table, in document order. Handlers are thin: each parses its input, calls one
 * service (handoff, case view, abuse, user admin, alerts, dashboard) and shapes the answer.
 */
export function consoleRoutes(deps: ConsoleRouteDeps): ConsoleRoute[] {
  return [...sessionRoutes(deps), ...conversationRoutes(deps), ...interpreterRoutes(deps), ...supervisorRoutes(deps), ...adminRoutes(deps)];
}
