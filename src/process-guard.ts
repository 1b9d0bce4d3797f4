/**
 * Last line of defence for a 24/7 service: an error that escapes every handler (a socket error
 * event without a listener, a rejected promise nobody awaited) is logged and the process keeps
 * serving everyone else, instead of taking every channel and the console down with it. Each such
 * error is a bug to fix; the counter in the log line makes them visible.
 */
import type { Logger } from './core/logger-port';

let installed: { uncaught: number; unhandled: number } | undefined;

/** Installs the guard once per process; returns the running counts (for tests and metrics). */
export function installProcessGuard(logger: Logger): { uncaught: number; unhandled: number } {
  if (installed) return installed;
  const counts = { uncaught: 0, unhandled: 0 };
  process.on('uncaughtException', (err) => {
    counts.uncaught += 1;
    logger.error({ err, count: counts.uncaught }, 'uncaught exception: logged, the service keeps serving');
  });
  process.on('unhandledRejection', (reason) => {
    counts.unhandled += 1;
    logger.error({ err: reason, count: counts.unhandled }, 'unhandled promise rejection: logged, the service keeps serving');
  });
  installed = counts;
  return counts;
}
