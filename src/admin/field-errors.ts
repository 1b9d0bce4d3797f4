/** Turns validation problems of one or many records into the API's 400 error with field paths. */
import type { ZodError } from 'zod';
import { DajeongError } from '../core/errors';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Field errors of a zod error, each path prefixed (e.g. `[3].answer.ko` for the fourth import row). */
export function zodFields(error: ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[');
    const field = prefix && path ? `${prefix}.${path}`.replace(/\.\[/g, '[') : prefix || path || '(body)';
    return { field, message: i.message };
  });
}

/** A 400 'validation' error carrying field errors. */
export function validationError(message: string, fields: FieldProblem[]): DajeongError {
  return new DajeongError('validation', message, { details: { fields } });
}
