import { Router } from 'express';
import type { EventLoopReport } from '../event-loop-monitor';

/**
 * GET /healthz/event-loop: how long the event loop has been blocked since start (delay histogram,
 * stalls, the longest blocked time). Read by the event-loop test and by operators chasing a slow
 * probe; `?reset=1` starts a new measuring window.
 */
export function eventLoopRouter(monitor: { report(): EventLoopReport; reset(): void }): Router {
  const router = Router();
  router.get('/healthz/event-loop', (req, res) => {
    const report = monitor.report();
    if (req.query.reset === '1') monitor.reset();
    res.json(report);
  });
  return router;
}
