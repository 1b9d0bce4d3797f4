/**
 * Messages the resident wrote that the server has not acknowledged yet. Each keeps the
 * clientMessageId it was given when written, so sending it again after a lost answer is stored
 * once (the server dedupes on it). Sends one at a time, in order; on network trouble they wait
 * (saved, so a reload keeps them) for the next connection.
 */
import { ApiError } from './webchat-api.js';

const RETRY_LATER_MS = 5_000;

/**
 * @param {object} o
 * @param {object[]} o.pending  the saved list ({clientMessageId, text?, payload?, location?, createdAt}), mutated in place
 * @param {() => void} o.persist  saves the list
 * @param {() => string|undefined} o.token
 * @param {(item: object) => void} o.onAcked  stored by the server
 * @param {(item: object, err: ApiError) => void} o.onRejected  refused for good (e.g. invalid)
 * @param {() => void} o.onNetworkError
 * @param {() => void} o.onUnauthorized
 */
export function createOutbox({
  api,
  pending,
  persist,
  token,
  onAcked,
  onRejected,
  onNetworkError,
  onUnauthorized,
}) {
  let running = false;
  let again = false;
  let retryTimer;

  function remove(clientMessageId) {
    const index = pending.findIndex((p) => p.clientMessageId === clientMessageId);
    if (index < 0) return undefined;
    const [item] = pending.splice(index, 1);
    persist();
    return item;
  }

  async function flush() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(retryTimer);
    try {
      while (pending.length && token()) {
        const item = pending[0];
        try {
          await api.send(token(), {
            clientMessageId: item.clientMessageId,
            ...(item.text && { text: item.text }),
            ...(item.payload && { payload: item.payload }),
            ...(item.location && { location: item.location }),
          });
          if (remove(item.clientMessageId)) onAcked(item);
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) {
            onUnauthorized();
            break;
          }
          if (err instanceof ApiError && !err.retryable) {
            remove(item.clientMessageId);
            onRejected(item, err);
            continue;
          }
          if (err instanceof ApiError) {
            retryTimer = setTimeout(flush, RETRY_LATER_MS);
          } else {
            onNetworkError();
          }
          break;
        }
      }
    } finally {
      running = false;
      if (again) {
        again = false;
        flush();
      }
    }
  }

  return {
    /** Queues a new message and tries to send it now. */
    add(item) {
      pending.push(item);
      persist();
      flush();
    },
    /** Sends whatever waits. */
    flush,
    /** The server showed this message back: it is stored, whatever happened to our request. */
    confirm(clientMessageId) {
      remove(clientMessageId);
    },
    /** Whether this message still waits for an acknowledgement. */
    has(clientMessageId) {
      return pending.some((p) => p.clientMessageId === clientMessageId);
    },
  };
}
