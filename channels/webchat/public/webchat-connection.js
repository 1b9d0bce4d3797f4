/**
 * The live feed of new messages. Every (re)connect first catches up over HTTP from the cursor, so
 * whatever arrived while the page was away is fetched however much it was; then it listens on the
 * WebSocket stream, or long-polls where WebSockets do not get through (some proxies and firewalls).
 * A lost connection is retried with exponential backoff and jitter, so a busy server recovering
 * from an outage is not stampeded by every open widget at once.
 */
import { ApiError, NetworkError } from './webchat-api.js';

const WS_FAILURES_BEFORE_POLLING = 2;
const LONG_POLL_SECONDS = 25;
const STREAM_READY_TIMEOUT_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/**
 * @param {object} o
 * @param {ReturnType<import('./webchat-api.js').createApi>} o.api
 * @param {URL} o.streamUrl  ws(s):// URL of /api/app/v1/stream
 * @param {{prepare(): Promise<void>, token(): string, cursor(): string|undefined}} o.session
 * @param {(messages: object[], cursor: string) => void} o.onMessages  in order, possibly repeated
 * @param {(status: 'connecting'|'online'|'offline') => void} o.onStatus
 * @param {() => void} o.onReachable  the server answered; a good moment to send what waits
 * @param {() => void} o.onUnauthorized  the token was refused; forget it so `prepare` makes a new one
 * @param {(frame: {type: 'typing'|'read', who: string, typing?: boolean, upToSeq?: number}) => void} [o.onSignal]
 *   a counselor's typing or read signal (WebSocket only; long-polling goes without)
 */
export function createConnection({
  api,
  streamUrl,
  session,
  onMessages,
  onStatus,
  onReachable,
  onUnauthorized,
  onSignal = () => {},
}) {
  let generation = 0;
  let attempt = 0;
  let wsFailures = 0;
  let usePolling = typeof WebSocket !== 'function';
  let status;
  let socket;
  let abort;
  let timer;

  function setStatus(next) {
    if (next === status) return;
    status = next;
    onStatus(next);
  }

  /** Stops whatever runs now; callbacks of older generations are ignored from here on. */
  function teardown() {
    generation += 1;
    clearTimeout(timer);
    timer = undefined;
    abort?.abort();
    abort = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close();
      socket = undefined;
    }
    return generation;
  }

  async function connect() {
    const gen = teardown();
    if (status !== 'offline') setStatus('connecting');
    abort = new AbortController();
    const { signal } = abort;
    try {
      await session.prepare();
      if (gen !== generation) return;
      await catchUp(gen, signal);
      if (gen !== generation) return;
      onReachable();
      if (usePolling) {
        live();
        await poll(gen, signal);
      } else {
        openStream(gen);
      }
    } catch (err) {
      if (gen === generation) failed(err);
    }
  }

  async function catchUp(gen, signal) {
    for (;;) {
      const page = await api.list(session.token(), session.cursor(), 0, signal);
      if (gen !== generation) return;
      onMessages(page.messages, page.cursor);
      if (page.messages.length === 0) return;
    }
  }

  async function poll(gen, signal) {
    while (gen === generation) {
      const page = await api.list(session.token(), session.cursor(), LONG_POLL_SECONDS, signal);
      if (gen !== generation) return;
      onMessages(page.messages, page.cursor);
    }
  }

  function openStream(gen) {
    let ready = false;
    const ws = new WebSocket(streamUrl);
    socket = ws;
    // Tokens stay out of URLs (and access logs): the first frame authenticates.
    ws.onopen = () =>
      ws.send(JSON.stringify({ type: 'auth', token: session.token(), after: session.cursor() }));
    // A stream that opens but never says ready (a proxy swallowing frames) counts as failed.
    setTimeout(() => {
      if (!ready && gen === generation) ws.close();
    }, STREAM_READY_TIMEOUT_MS);
    ws.onmessage = (event) => {
      if (gen !== generation) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        ready = true;
        wsFailures = 0;
        live();
      } else if (frame.type === 'message' && frame.message) {
        onMessages([frame.message], frame.cursor);
      } else if (frame.type === 'typing' || frame.type === 'read') {
        onSignal(frame);
      }
    };
    ws.onclose = (event) => {
      if (gen !== generation) return;
      socket = undefined;
      if (event.code === 4401) return failed(new ApiError(401, 'unauthorized', event.reason));
      // Opening but never getting ready, twice in a row, while HTTP works: WebSockets are blocked.
      if (!ready && ++wsFailures >= WS_FAILURES_BEFORE_POLLING) usePolling = true;
      failed(new NetworkError(`stream closed (${event.code})`));
    };
  }

  function live() {
    attempt = 0;
    setStatus('online');
  }

  function failed(err) {
    teardown();
    const unauthorized = err instanceof ApiError && err.status === 401;
    if (unauthorized) onUnauthorized();
    setStatus(unauthorized ? 'connecting' : 'offline');
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(connect, delay);
  }

  return {
    /** Starts connecting (session, history, then the live feed). */
    start: connect,
    /** Connects again right away, e.g. when the browser says the network is back. */
    reconnectNow() {
      attempt = 0;
      connect();
    },
    /** The network failed under a live connection (a send failed, the browser went offline). */
    dropped() {
      if (status === 'online') failed(new NetworkError('connection dropped'));
    },
    /** The transport in use now, for diagnostics and tests. */
    get transport() {
      return usePolling ? 'long-poll' : 'websocket';
    },
    stop: teardown,
  };
}
