/** Reading one channel's settings from the environment with zod: absent = disabled, malformed = fail fast. */
import type { ZodType } from 'zod';

/**
 * Parses `env` with the channel's schema. Throws one error naming every bad variable, so a
 * typo in a configured channel stops start-up instead of silently disabling the channel.
 */
export function parseChannelEnv<T>(channel: string, schema: ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid ${channel} channel configuration: ${problems}`);
}

/** Empty strings count as unset (docker-compose and .env files often leave `NAME=`). */
export function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** Ensures a base URL ends without a slash, so paths can be appended with `/`. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Whether a channel's required variables are set: false when none is, true when all are.
 * @throws Error naming the missing ones when only some are set (a half-configured channel).
 */
export function allOrNone(channel: string, env: NodeJS.ProcessEnv, names: readonly string[]): boolean {
  const missing = names.filter((n) => !present(env[n]));
  if (missing.length === names.length) return false;
  if (missing.length)
    throw new Error(`Invalid ${channel} channel configuration: also set ${missing.join(', ')}`);
  return true;
}

/** Copies env with empty values removed, so zod defaults apply to `NAME=` lines. */
export function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => present(v)));
}
