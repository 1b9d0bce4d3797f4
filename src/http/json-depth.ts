/**
 * How deeply a JSON text nests, found by one pass over its bytes before anything parses it:
 * `[[[[…]]]]` a few megabytes deep would otherwise occupy the event loop in JSON.parse and in every
 * walk over the result (validation, logging), before authentication or rate limits could refuse it.
 */

/** Deepest nesting any route accepts: our largest documents (admin FAQ entries) nest 6 levels. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;

/**
 * Whether the JSON bytes nest deeper than `maxDepth` (brackets inside strings do not count).
 * Stops at the first level too deep, so a hostile body costs one partial scan.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** The error body parsers raise for a body nested too deeply (answered 400 by the error handler). */
export class JsonTooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
  constructor(readonly maxDepth: number) {
    super(`JSON nested more than ${maxDepth} levels deep`);
  }
}

/** An express body-parser `verify` hook that refuses bodies nested too deeply before they are parsed. */
export function refuseDeepJson(maxDepth = MAX_JSON_DEPTH) {
  return (_req: unknown, _res: unknown, buf: Buffer): void => {
    if (jsonNestsDeeperThan(buf, maxDepth)) throw new JsonTooDeepError(maxDepth);
  };
}
