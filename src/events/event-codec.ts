/**
 * JSON for events crossing instances, with Dates kept as Dates: plain JSON would turn them into
 * strings, and subscribers compare and format them as Dates.
 */

const DATE_TAG = '$date';

/** Serialises a payload; Dates become {"$date": epoch-ms} (or "invalid" for an Invalid Date). */
export function encodeEvent(payload: unknown): string {
  return JSON.stringify(payload, function (this: Record<string, unknown>, key: string, value: unknown) {
    // `value` has already been through Date#toJSON; the holder still has the Date itself.
    const raw = this[key];
    if (raw instanceof Date) {
      const ms = raw.getTime();
      return { [DATE_TAG]: Number.isFinite(ms) ? ms : 'invalid' };
    }
    return value;
  });
}

/**
 * Parses what encodeEvent wrote, reviving Dates.
 * @throws SyntaxError on text that is not JSON
 */
export function decodeEvent(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === DATE_TAG) {
        const ms = (value as Record<string, unknown>)[DATE_TAG];
        return new Date(typeof ms === 'number' ? ms : NaN);
      }
    }
    return value;
  });
}
