import { Router } from 'express';

export interface ReadinessSource {
  /** Name -> check; a check returns details and whether the service can serve. */
  checks: Record<string, () => Promise<{ ok: boolean; [key: string]: unknown }>>;
}

/** /healthz: the process is alive. /readyz: store reachable and NLU loaded (or degraded, said so). */
export function healthRouter(source: ReadinessSource): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, unknown> = {};
    let ready = true;
    for (const [name, check] of Object.entries(source.checks)) {
      try {
        const r = await check();
        results[name] = r;
        ready &&= r.ok;
      } catch (err) {
        // The message may name the database host: only the error code is shown.
        const code = (err as { code?: unknown } | null)?.code;
        results[name] = { ok: false, error: typeof code === 'string' ? code : 'check_failed' };
        ready = false;
      }
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}
