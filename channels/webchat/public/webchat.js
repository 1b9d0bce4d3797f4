/**
 * The web chat widget: wires the saved state, the app API client, the live connection, the
 * outbox of unsent messages, photo uploads and the view. Served at /webchat/; embed.js frames it
 * into other sites.
 */
import { createApi, ApiError } from './webchat-api.js';
import { createConnection } from './webchat-connection.js';
import { LANGUAGES, loadTexts, pickLanguage, sessionLocale, t } from './webchat-i18n.js';
import { createOutbox } from './webchat-outbox.js';
import { createImageLoader, preparePhoto, PhotoError, uploadPhoto } from './webchat-photo.js';
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
const COUNSELOR_PAYLOAD = 'intent:counselor_request';

let online = false;
let historyLoaded = false;
/** Who answered last: 'bot' or 'counselor'; decides whose typing we show and whether we signal. */
let lastPeer = 'bot';

// The cursor names its conversation ("<conversationId>.<seq>"). When the session moves to a new
// conversation (a new session, or a closed one reopened), seq restarts at 1, so messages are
// ordered by (conversation in order of appearance, seq).
const conversations = [];
function epochOf(cursor) {
  const id = typeof cursor === 'string' ? cursor.slice(0, Math.max(0, cursor.lastIndexOf('.'))) : '';
  if (!conversations.includes(id)) conversations.push(id);
  return conversations.indexOf(id);
}

// embed.js asks for focus when its frame has loaded, which can be before the view exists.
let view;
let focusAsked = false;
window.addEventListener('message', (event) => {
  if (event.source !== window.parent || event.data?.type !== 'dajeong:focus') return;
  if (view) view.focusInput();
  else focusAsked = true;
});

// Nothing is drawn before its texts are here: until then the page shows its Korean markup and
// "connecting" (a failed load is tried again). The other languages are fetched ahead below.
await loadTexts(state.lang);

view = createView(document, {
  lang: state.lang,
  embedded,
  onSend: (text) => write({ text }),
  onQuickReply: (reply) => write({ text: reply.label, payload: reply.payload }),
  async onLanguage(lang) {
    state.lang = lang;
    state.langChosen = true;
    save();
    await loadTexts(lang);
    // A later choice made while this one loaded wins.
    if (state.lang === lang) view.setLanguage(lang);
  },
  onClose: () => window.parent.postMessage({ type: 'dajeong:close' }, '*'),
  onCounselor: () => write({ text: t(state.lang, 'header.counselor'), payload: COUNSELOR_PAYLOAD }),
  onPhoto: (file) => sendPhoto(file),
  onLocation: () => shareLocation(),
  onRetry: (clientMessageId) => startUpload(clientMessageId),
  onTyping: () => typingSignal(),
  onShown(m, live) {
    lastPeer = m.author === 'counselor' ? 'counselor' : m.author === 'bot' ? 'bot' : lastPeer;
    if (m.author === 'counselor') readSignal(m.seq);
    // The launcher outside the frame counts replies that arrive while the chat is closed.
    if (embedded && live) window.parent.postMessage({ type: 'dajeong:message' }, '*');
  },
  loadImage: createImageLoader(apiRoot, () => state.token),
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

function acked(clientMessageId) {
  view.setPendingState(clientMessageId, 'sent');
  if (!echoed.has(clientMessageId)) awaitEcho(clientMessageId);
  // The bot answers within moments; a counselor's typing comes as its own signal.
  if (lastPeer === 'bot') view.showTyping('bot');
}

const outbox = createOutbox({
  api,
  pending: state.pending,
  persist: save,
  token: () => state.token,
  onAcked: (item) => acked(item.clientMessageId),
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
      view.upsert(m, epoch, historyLoaded);
      if (m.clientMessageId) {
        outbox.confirm(m.clientMessageId);
        echoed.add(m.clientMessageId);
        clearTimeout(echoTimers.get(m.clientMessageId));
        echoTimers.delete(m.clientMessageId);
        photos.delete(m.clientMessageId);
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
  onSignal(frame) {
    if (frame.type === 'typing') {
      if (frame.typing) view.showTyping('counselor');
      else view.hideTyping();
    } else if (frame.type === 'read') {
      view.markRead(conversations.length - 1, frame.upToSeq);
    }
  },
});

/** The token was refused (expired or revoked): start over with a new session, keeping unsent messages. */
function forgetSession() {
  if (!state.token) return;
  state.token = undefined;
  state.cursor = undefined;
  save();
  view.notice('notice.sessionRestarted');
}

function write(content) {
  const item = { clientMessageId: randomId(), ...content, createdAt: new Date().toISOString() };
  view.addPending(item, online ? 'sending' : 'waiting');
  outbox.add(item);
}

// ---- photos and location ----------------------------------------------------------------------

/** Photos being uploaded, by client message id (kept in memory: too big for localStorage). */
const photos = new Map();

async function sendPhoto(file) {
  let prepared;
  try {
    prepared = await preparePhoto(file);
  } catch (err) {
    const reason = err instanceof PhotoError ? err.reason : 'unreadable';
    view.notice({ type: 'notice.photoType', size: 'notice.photoTooLarge' }[reason] ?? 'notice.photoUnreadable');
    return;
  }
  const clientMessageId = randomId();
  photos.set(clientMessageId, prepared);
  view.addPending({ clientMessageId, photo: prepared, createdAt: new Date().toISOString() }, 'uploading');
  view.markPhoto(clientMessageId);
  startUpload(clientMessageId);
}

async function startUpload(clientMessageId) {
  const photo = photos.get(clientMessageId);
  if (!photo) return;
  view.setPendingState(clientMessageId, 'uploading', { percent: 0 });
  try {
    if (!state.token) throw new ApiError(401, 'unauthorized', 'no session yet');
    await uploadPhoto({
      url: new URL('media', apiRoot),
      token: state.token,
      blob: photo.blob,
      clientMessageId,
      onProgress: (percent) => view.setPendingState(clientMessageId, 'uploading', { percent }),
    });
    acked(clientMessageId);
  } catch (err) {
    view.setPendingState(clientMessageId, 'failed');
    if (err instanceof ApiError && err.status === 401) {
      forgetSession();
      connection.reconnectNow();
    } else if (!(err instanceof ApiError)) {
      connection.dropped();
    }
  }
}

function shareLocation() {
  if (!navigator.geolocation) return view.notice('notice.locationDenied');
  navigator.geolocation.getCurrentPosition(
    (pos) => write({ location: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } }),
    () => view.notice('notice.locationDenied'),
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
}

// ---- typing and read signals to the counselor -----------------------------------------------

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 5_000;
let typingSentAt = 0;
let typingIdle;
function typingSignal() {
  // Only a counselor watches; the bot does not care.
  if (lastPeer !== 'counselor' || !state.token || !online) return;
  const now = Date.now();
  if (now - typingSentAt > TYPING_REPEAT_MS) {
    typingSentAt = now;
    api.typing(state.token, true).catch(() => undefined);
  }
  clearTimeout(typingIdle);
  typingIdle = setTimeout(() => {
    typingSentAt = 0;
    api.typing(state.token, false).catch(() => undefined);
  }, TYPING_IDLE_MS);
}

let readUpTo = 0;
let readTimer;
function readSignal(seq) {
  if (seq > readUpTo) readUpTo = seq;
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState !== 'visible' || !view.following || !state.token) return;
    api.read(state.token, readUpTo).catch(() => undefined);
  }, 500);
}
document.addEventListener('visibilitychange', () => readUpTo && readSignal(readUpTo));

// Messages written before a reload that the server never acknowledged: show them, send them again.
for (const item of state.pending) view.addPending(item, 'waiting');
view.setBusy(true);

window.addEventListener('online', () => connection.reconnectNow());
window.addEventListener('offline', () => connection.dropped());
if (focusAsked) view.focusInput();

// Exposed for diagnostics (and the browser tests); holds no secrets beyond what localStorage has.
window.dajeongWebchat = {
  get transport() {
    return connection.transport;
  },
};

connection.start();
// The menu's other languages, so switching shows them at once.
for (const lang of LANGUAGES) if (lang !== state.lang) loadTexts(lang);
