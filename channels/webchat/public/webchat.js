/**
 * The web chat widget: wires the saved state, the app API client, the live connection, the
 * outbox of unsent messages and the view. Served at /webchat/; embed.js frames it into other sites.
 */
import { createApi } from './webchat-api.js';
import { createConnection } from './webchat-connection.js';
import { pickLanguage, sessionLocale } from './webchat-i18n.js';
import { createOutbox } from './webchat-outbox.js';
import { loadState, randomId, saveState } from './webchat-storage.js';
import { createView } from './webchat-view.js';

const params = new URLSearchParams(location.search);
const embedded = params.has('embed');
const state = loadState();
state.deviceId ??= randomId();
// A choice the resident made wins over the host page's hint, which wins over the browser's.
state.lang = pickLanguage(state.langChosen ? state.lang : undefined, params.get('lang'));
// The page starts empty, so history is read from the conversation's start; the cursor then
// follows what this page has shown (and is saved with the token).
state.cursor = undefined;
const save = () => saveState(state);
save();

const apiRoot = new URL('../api/app/v1/', location.href);
const streamUrl = new URL('stream', apiRoot);
streamUrl.protocol = streamUrl.protocol === 'https:' ? 'wss:' : 'ws:';
const api = createApi(apiRoot);

let online = false;
let historyLoaded = false;

// The cursor names its conversation ("<conversationId>.<seq>"). When the session moves to a new
// conversation (a new session, or a closed one reopened), seq restarts at 1, so messages are
// ordered by (conversation in order of appearance, seq).
const conversations = [];
function epochOf(cursor) {
  const id = typeof cursor === 'string' ? cursor.slice(0, Math.max(0, cursor.lastIndexOf('.'))) : '';
  if (!conversations.includes(id)) conversations.push(id);
  return conversations.indexOf(id);
}

const view = createView(document, {
  lang: state.lang,
  embedded,
  onSend: (text) => write(text),
  onQuickReply: (reply) => write(reply.label, reply.payload),
  onToggleLanguage() {
    state.lang = state.lang === 'ko' ? 'en' : 'ko';
    state.langChosen = true;
    save();
    view.setLanguage(state.lang);
  },
  onClose: () => window.parent.postMessage({ type: 'dajeong:close' }, '*'),
});

// A stored message comes back on the feed within moments. When it does not, the feed is following
// the wrong conversation: the server moves the session to a new one when the resident writes after
// a counselor closed the old one, and a stream or long-poll opened before that keeps watching the
// old. Reconnecting re-reads the session's current conversation from its start.
const ECHO_TIMEOUT_MS = 4_000;
const echoTimers = new Map();
const echoed = new Set();
function awaitEcho(clientMessageId) {
  clearTimeout(echoTimers.get(clientMessageId));
  echoTimers.set(
    clientMessageId,
    setTimeout(() => {
      echoTimers.delete(clientMessageId);
      connection.reconnectNow();
    }, ECHO_TIMEOUT_MS),
  );
}

const outbox = createOutbox({
  api,
  pending: state.pending,
  persist: save,
  token: () => state.token,
  onAcked(item) {
    view.setPendingState(item.clientMessageId, 'sent');
    if (!echoed.has(item.clientMessageId)) awaitEcho(item.clientMessageId);
  },
  onRejected(item, err) {
    view.setPendingState(item.clientMessageId, 'failed');
    if (item.text && !item.payload) view.restoreInput(item.text);
    console.warn('message refused', err.code, err.message);
  },
  onNetworkError: () => connection.dropped(),
  onUnauthorized() {
    forgetSession();
    connection.reconnectNow();
  },
});

const connection = createConnection({
  api,
  streamUrl,
  session: {
    async prepare() {
      if (state.token) return;
      const session = await api.createSession({
        deviceId: state.deviceId,
        locale: sessionLocale(state.lang, state.langChosen || params.has('lang')),
        client: 'webchat',
      });
      state.token = session.token;
      state.cursor = undefined;
      save();
    },
    token: () => state.token,
    cursor: () => state.cursor,
  },
  onMessages(messages, cursor) {
    const epoch = epochOf(cursor);
    for (const m of messages) {
      view.upsert(m, epoch);
      if (m.clientMessageId) {
        outbox.confirm(m.clientMessageId);
        echoed.add(m.clientMessageId);
        clearTimeout(echoTimers.get(m.clientMessageId));
        echoTimers.delete(m.clientMessageId);
      }
    }
    if (cursor) state.cursor = cursor;
    save();
  },
  onStatus(status) {
    online = status === 'online';
    view.setStatus(status);
    view.setAllPending(online ? 'sending' : 'waiting');
  },
  onReachable() {
    if (!historyLoaded) {
      historyLoaded = true;
      view.setBusy(false);
    }
    outbox.flush();
  },
  onUnauthorized: forgetSession,
});

/** The token was refused (expired or revoked): start over with a new session, keeping unsent messages. */
function forgetSession() {
  if (!state.token) return;
  state.token = undefined;
  state.cursor = undefined;
  save();
  view.notice('sessionRestarted');
}

function write(text, payload) {
  const item = {
    clientMessageId: randomId(),
    text,
    ...(payload && { payload }),
    createdAt: new Date().toISOString(),
  };
  view.addPending(item, online ? 'sending' : 'waiting');
  outbox.add(item);
}

// Messages written before a reload that the server never acknowledged: show them, send them again.
for (const item of state.pending) view.addPending(item, 'waiting');
view.setBusy(true);

window.addEventListener('online', () => connection.reconnectNow());
window.addEventListener('offline', () => connection.dropped());
window.addEventListener('message', (event) => {
  if (event.source === window.parent && event.data?.type === 'dajeong:focus') view.focusInput();
});

// Exposed for diagnostics (and the browser tests); holds no secrets beyond what localStorage has.
window.dajeongWebchat = {
  get transport() {
    return connection.transport;
  },
};

connection.start();
