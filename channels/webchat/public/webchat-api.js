/** A small client of the resident app API (/api/app/v1) that the widget is built on. */

/** The server answered with an error status; `code` is its stable error code. */
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** Worth trying again later (rate limits, server trouble), as opposed to a refused request. */
  get retryable() {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer (offline, connection reset, server unreachable). */
export class NetworkError extends Error {}

/**
 * Builds the client. `base` is the API root URL, e.g. https://host/api/app/v1/.
 * Every method throws ApiError or NetworkError (or AbortError when its signal aborts).
 */
export function createApi(base) {
  async function request(method, path, { token, body, signal } = {}) {
    const headers = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res;
    try {
      res = await fetch(new URL(path, base), {
        method,
        headers,
        body: body && JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      throw new NetworkError(String(err?.message ?? err));
    }
    const json = res.status === 204 ? {} : await res.json().catch(() => ({}));
    if (!res.ok) {
      const error = json?.error ?? {};
      throw new ApiError(
        res.status,
        error.code ?? `http_${res.status}`,
        error.message ?? res.statusText,
        error.fields,
      );
    }
    return json;
  }

  return {
    /** Starts a session: {residentId, conversationId, token}. */
    createSession: (body) => request('POST', 'sessions', { body }),
    /** Sends a message; the server stores each clientMessageId once. */
    send: (token, body) => request('POST', 'messages', { token, body }),
    /** Tells the counselor the resident is writing (or stopped). */
    typing: (token, typing) => request('POST', 'typing', { token, body: { typing } }),
    /** Tells the counselor the resident has seen the messages up to `upToSeq`. */
    read: (token, upToSeq) => request('POST', 'read', { token, body: { upToSeq } }),
    /** Messages after a cursor, waiting up to `wait` seconds for one: {messages, cursor}. */
    list: (token, after, wait, signal) => {
      const query = new URLSearchParams({ wait: String(wait) });
      if (after) query.set('after', after);
      return request('GET', `messages?${query}`, { token, signal });
    },
  };
}
