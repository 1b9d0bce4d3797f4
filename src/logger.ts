/** Structured JSON logs (pino) with personal data masked before it is written. */
import pino from 'pino';
import type { Logger } from './core/logger-port';
import { maskPersonalData } from './core/mask';

/**
 * @param destination file descriptor: 1 (pino's default) for the service; 2 for command-line tools,
 *   whose stdout carries their result; or a stream (tests).
 */
export function createLogger(level: string = 'info', destination: 1 | 2 | pino.DestinationStream = 1): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'dajeong' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Errors logged under `err` (the convention) keep their type; their message and stack are masked.
    serializers: { err: (value: unknown) => (value instanceof Error ? maskError(value) : value) },
    hooks: {
      logMethod(args, method) {
        // An Error as the only object: pino would serialize it unmasked and use its message as msg.
        if (args[0] instanceof Error) {
          const err = args[0];
          const rest = args.slice(1).map((a) => (typeof a === 'string' ? maskPersonalData(a) : maskDeep(a)));
          method.apply(this, [{ err: maskError(err) }, ...(rest.length ? rest : [maskPersonalData(err.message)])] as typeof args);
          return;
        }
        // Mask phone numbers, registration, card and account numbers, e-mails wherever they appear.
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : maskDeep(a))) as typeof args;
        method.apply(this, masked);
      },
    },
  };
  if (typeof destination === 'object') return pino(options, destination) as unknown as Logger;
  const logger = destination === 2 ? pino(options, pino.destination({ dest: 2, sync: true })) : pino(options);
  return logger as unknown as Logger;
}

/** pino's own error shape (type, message, stack, cause, extra fields) with every string masked. */
function maskError(err: Error): unknown {
  return maskDeep({ ...pino.stdSerializers.err(err) });
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? maskPersonalData(value) : value;
  }
  if (value instanceof Error) return maskError(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
