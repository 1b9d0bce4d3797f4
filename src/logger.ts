/** Structured JSON logs (pino) with personal data masked before it is written. */
import pino from 'pino';
import type { Logger } from './core/logger-port';
import { maskPersonalData } from './core/mask';

/**
 * @param destination file descriptor: 1 (pino's default) for the service; 2 for command-line tools,
 *   whose stdout carries their result.
 */
export function createLogger(level: string = 'info', destination: 1 | 2 = 1): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dajeong' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        // Mask phone numbers and resident registration numbers wherever they appear.
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : maskDeep(a))) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  const logger = destination === 2 ? pino(options, pino.destination({ dest: 2, sync: true })) : pino(options);
  return logger as unknown as Logger;
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? maskPersonalData(value) : value;
  }
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
