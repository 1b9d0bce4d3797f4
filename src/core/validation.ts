/** Input validation with zod that fails as a DajeongError naming each bad field (HTTP answers 400). */
import type { ZodError, ZodType } from 'zod';
import { DajeongError, type FieldError } from './errors';

export type { FieldError } from './errors';

/** One entry per zod issue, the field as a dotted path ('(body)' for the whole input). */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

/** Parses with a zod schema or throws a 'validation' DajeongError naming each bad field. */
export function parseOr400<T>(schema: ZodType<T>, value: unknown, what = 'body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = fieldErrors(parsed.error);
  throw new DajeongError('validation', `Invalid ${what}: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, {
    details: { fields },
  });
}
