/**
 * The buffers behind every typed array in a job's result, so the worker can move them to the main
 * thread instead of copying (a copy is deserialized on the main thread's event loop).
 */

/**
 * Walks plain objects and arrays (no cycles expected; each object visited once) and returns the
 * distinct ArrayBuffers of the typed arrays found. Shared buffers are skipped: they cannot move.
 */
/** By tag, not instanceof: buffers made in another realm (a vm context) must be found too. */
const isArrayBuffer = (value: unknown): value is ArrayBuffer =>
  Object.prototype.toString.call(value) === '[object ArrayBuffer]';

export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    seen.add(item);
    if (ArrayBuffer.isView(item)) {
      if (isArrayBuffer(item.buffer)) found.add(item.buffer);
    } else if (Array.isArray(item)) {
      for (const element of item) if (element !== null && typeof element === 'object') stack.push(element);
    } else if (!isArrayBuffer(item)) {
      for (const child of Object.values(item)) if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return [...found];
}
