/**
 * The three OpenAPI documents (issue 12): the admin API has its own, and each document lists every
 * route its router serves (schemathesis checks the answers against them in scripts/api-check/run.sh).
 */
import type { Router } from 'express';
import { adminApiRouter } from '../../src/admin/admin-router';
import type { Service } from '../../src/main';
import { startService } from '../support/service';

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

/** "METHOD /path" for every route of an express router, with :params written as {params}. */
function routesOf(router: Router): string[] {
  const stack = (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return stack.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : [],
  );
}

const operationsOf = (doc: OpenApi) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));

describe('OpenAPI documents', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ADMIN_TOKEN: 'openapi-admin-token-0123' });
  });
  afterAll(async () => {
    await service?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${service.url}${path}`);
    expect(res.status).toBe(200);
    return (await res.json()) as OpenApi;
  };

  it('serves the admin API document without a token, covering every admin route', async () => {
    const doc = await get('/api/admin/v1/openapi.json');
    const router = adminApiRouter({ token: 'x', store: service.store } as unknown as Parameters<typeof adminApiRouter>[0]);
    const served = routesOf(router).filter((r) => r !== 'GET /openapi.json');
    expect(operationsOf(doc).sort()).toEqual(served.sort());
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '503']));
  });

  it('documents the console answers schemathesis found missing: 401 and 429 on sign-in, 404 on records', async () => {
    const doc = await get('/api/console/v1/openapi.json');
    expect(Object.keys(doc.paths['/login']!.post!.responses)).toEqual(expect.arrayContaining(['200', '401', '429']));
    expect(Object.keys(doc.paths['/users/{id}']!.patch!.responses)).toContain('404');
    expect(Object.keys(doc.paths['/users/{id}/unlock']!.post!.responses)).toEqual(expect.arrayContaining(['403', '404']));
  });

  it('answers 400, not 500, to an intent import row that is not an object (found by schemathesis)', async () => {
    const res = await fetch(`${service.url}/api/admin/v1/intents/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer openapi-admin-token-0123', 'content-type': 'application/json' },
      body: '[null]',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation', fields: [{ field: '[0]' }] } });
  });

  it('serves the app API document', async () => {
    expect(Object.keys((await get('/api/app/v1/openapi.json')).paths).sort()).toEqual(['/messages', '/sessions']);
  });
});
