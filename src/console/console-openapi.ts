/** OpenAPI 3.1 description of /api/console/v1, generated from the route table that enforces it. */
import { z } from 'zod';
import { CONSOLE_ROLES } from '../core/user-port';
import type { ConsoleRoute } from './console-routes';
import { errorView } from './console-schemas';
import { SESSION_COOKIE } from './console-auth';

const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};
const json = (s: z.ZodType) => ({ 'application/json': { schema: schema(s) } });

const ERROR_TEXT: Record<string, string> = { '404': 'No such record', '413': 'Body too large', '503': 'The store is unavailable; retry' };

export function consoleOpenApi(routes: ConsoleRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? Object.entries((schema(r.query).properties ?? {}) as Record<string, unknown>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })) : [];
    const secured = r.roles !== 'public';
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: r.response ? { description: 'OK', content: json(r.response) } : { description: r.raw ? 'OK (CSV)' : 'OK' },
      '400': { description: 'Invalid input; `fields` names each bad field', content: json(errorView) },
    };
    if (secured) {
      responses['401'] = { description: 'Not signed in', content: json(errorView) };
      responses['403'] = { description: 'Wrong role, or missing/wrong x-csrf-token on a state-changing request', content: json(errorView) };
    }
    // Statuses a route names in `conflicts` ("401 wrong login...; 429 too many..."), 404 for a path
    // naming a record, 413 for a body over the limit, 503 for a store outage.
    const named = [...(r.conflicts ?? '').matchAll(/\b([45]\d\d)\b/g)].map((m) => m[1]!);
    const extra = new Set([...named, ...(params.length ? ['404'] : []), ...(r.body ? ['413'] : []), '503']);
    for (const code of extra)
      responses[code] ??= { description: named.includes(code) ? r.conflicts : (ERROR_TEXT[code] ?? 'Error'), content: json(errorView) };
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      'x-roles': r.roles === 'public' ? [] : r.roles === 'any' ? [...CONSOLE_ROLES] : r.roles,
      ...(secured && { security: [{ session: [], csrf: [] }] }),
      ...(params.length + query.length && { parameters: [...params, ...query] }),
      ...(r.body && { requestBody: { required: true, content: json(r.body) } }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dajeong counselor console API',
      version,
      description:
        'Used by the counselor console at /console/. Sign in with POST /login: the session travels in an HttpOnly, SameSite=Strict ' +
        `cookie (${SESSION_COOKIE}); every state-changing request must carry the returned csrfToken in the x-csrf-token header. ` +
        'x-roles lists the roles allowed on each operation. Live updates: WebSocket at /api/console/v1/stream (same cookie), ' +
        'frames {"type":"queue"|"conversation"|"message"|"alert"|"presence", ...} telling the console what to reload.',
    },
    servers: [{ url: '/api/console/v1' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
      schemas: { Error: schema(errorView) },
    },
    paths,
  };
}
