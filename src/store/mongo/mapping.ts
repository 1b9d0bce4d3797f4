/** Turns lean MongoDB documents into the port's plain objects. */

/**
 * Copies a lean document into a port object: `_id` becomes a string `id`, and `__v`, the listed
 * internal keys and null/undefined fields are left out (the port models "unset" as absent).
 */
export function fromDoc<T>(doc: object, internal: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === null || value === undefined || key === '__v' || internal.includes(key)) continue;
    if (key === '_id') out['id'] = String(value);
    else out[key] = value;
  }
  return out as T;
}

/** Drops undefined fields so they are not written (mongoose would keep explicit nulls). */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
