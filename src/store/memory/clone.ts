/**
 * Deep copy for the in-memory stores, so callers never share mutable records with the store.
 * Unlike structuredClone it builds Dates and Buffers with this realm's constructors, which keeps
 * `instanceof Date` true inside test sandboxes (Jest runs each file in its own realm).
 */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    return new Date((value as unknown as Date).getTime()) as T;
  }
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (Array.isArray(value)) return value.map((v) => clone(v)) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, clone(v)])) as T;
  if (value instanceof Set) return new Set([...value].map((v) => clone(v))) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = clone(v);
  return out as T;
}
