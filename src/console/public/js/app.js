// Console entry: sign-in, the views each role may use, presence, alerts, shortcuts, and the live
// stream. Tabs of one browser stay in step: signing out (or a presence change) in one tab is told
// to the others at once through a BroadcastChannel.
import { ApiError, get, post, setCsrf } from './api.js';
import { $, clear, h, toast } from './dom.js';
import { currentLanguage, label, setLanguage, t } from './i18n.js';
import { Notifier } from './notifier.js';
import { SearchView } from './search-view.js';
import { WorkView } from './work-view.js';
import { DashboardView } from './dashboard-view.js';
import { AlertsView } from './alerts-view.js';
import { UsersView } from './users-view.js';
import { QaView } from './qa-view.js';
import { ReviewsView } from './reviews-view.js';

const VIEWS = {
  counselor: ['work', 'search', 'reviews'],
  supervisor: ['work', 'search', 'dashboard', 'alerts', 'qa'],
  admin: ['users'],
  qa: ['qa'],
};

const state = { user: null, session: null, view: null, views: {}, socket: null, retry: 1000, show, signedOut };
const tabs = 'BroadcastChannel' in window ? new BroadcastChannel('dajeong-console') : null;

async function boot() {
  // Texts first: nothing is drawn before the console can label it (a failed load is tried again).
  await setLanguage(currentLanguage());
  $('#booting').hidden = true;
  try {
    const session = await get('/session');
    start(session);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin();
    else showLogin(err.message);
  }
}

function showLogin(message = '') {
  state.socket?.close();
  state.socket = null;
  $('#app').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#login-form [name=login]').focus();
}

/** The session ended (401, or another tab signed out): back to the sign-in form. */
function signedOut(message = t('login.ended')) {
  location.hash = '';
  showLogin(message);
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('#login-error').textContent = '';
  try {
    await post('/login', { login: form.get('login'), password: form.get('password') });
    event.target.reset();
    // A reload is the simplest way to drop every view of a previous user.
    if (state.user) location.reload();
    else start(await get('/session'));
  } catch (err) {
    $('#login-error').textContent = err.message;
  }
});

function start(session) {
  state.session = session;
  state.user = session.user;
  setCsrf(session.csrfToken);
  $('#login-view').hidden = true;
  $('#app').hidden = false;
  $('#me').textContent = `${state.user.displayName} (${label('role', state.user.role)})`;
  // Only counselors and supervisors take chats (presence, queue, notifications).
  const staff = state.user.role === 'counselor' || state.user.role === 'supervisor';
  $('#presence-label').hidden = !staff;
  $('#notify').hidden = !staff;
  $('#presence').value = state.user.presence;

  const notifier = new Notifier({ onOpen: (id) => state.views.work?.openChat(id) });
  notifier.onDenied = () => toast(t('notify.denied'));
  state.notifier = notifier;
  const search = staff ? new SearchView(state, { openChat: (id) => state.views.work.openChat(id) }) : null;
  state.views = {
    work: staff ? new WorkView(state, { notifier, search }) : null,
    search,
    dashboard: state.user.role === 'supervisor' ? new DashboardView(state) : null,
    alerts: state.user.role === 'supervisor' ? new AlertsView(state, { openChat: (id) => state.views.work.openChat(id) }) : null,
    users: state.user.role === 'admin' ? new UsersView(state) : null,
    qa: ['qa', 'supervisor'].includes(state.user.role) ? new QaView(state) : null,
    reviews: state.user.role === 'counselor' ? new ReviewsView(state) : null,
  };
  renderTabs();
  show(VIEWS[state.user.role][0]);
  // The queue is watched from the start, so the first new chat already rings.
  if (staff && state.view !== 'work') state.views.work.loadQueue();
  connect();
}

function renderTabs() {
  const nav = clear($('#tabs'));
  for (const name of VIEWS[state.user.role]) {
    nav.append(h('button', { type: 'button', dataset: { view: name }, 'data-testid': `tab-${name}`, 'aria-current': String(name === state.view), onclick: () => show(name) }, t(`tab.${name}`)));
  }
}

function show(name) {
  state.view = name;
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `view-${name}`;
  for (const tab of document.querySelectorAll('#tabs button')) tab.setAttribute('aria-current', tab.dataset.view === name ? 'page' : 'false');
  state.views[name]?.refresh();
}

$('#presence').addEventListener('change', async (event) => {
  try {
    const { user } = await post('/presence', { status: event.target.value });
    state.user = { ...state.user, presence: user.presence };
    tabs?.postMessage({ type: 'presence', presence: user.presence });
    toast(t('toast.presence', { presence: label('presence', user.presence) }));
  } catch (err) {
    toast(err.message);
  }
});

$('#logout').addEventListener('click', async () => {
  try {
    await post('/logout');
  } finally {
    tabs?.postMessage({ type: 'logout' });
    signedOut('');
  }
});

$('#ui-language').addEventListener('click', async () => {
  await setLanguage(currentLanguage() === 'ko' ? 'en' : 'ko');
  $('#ui-language').lang = currentLanguage() === 'ko' ? 'en' : 'ko';
  if (!state.user) return;
  renderTabs();
  $('#me').textContent = `${state.user.displayName} (${label('role', state.user.role)})`;
  state.notifier?.refreshButton();
  state.views.work?.relabel();
  state.views[state.view]?.refresh();
});

tabs?.addEventListener('message', (event) => {
  if (event.data?.type === 'logout' && state.user) signedOut(t('login.otherTab'));
  if (event.data?.type === 'presence' && state.user) {
    state.user.presence = event.data.presence;
    $('#presence').value = event.data.presence;
  }
});

// ---- keyboard shortcuts ------------------------------------------------------------------------
const typingIn = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
document.addEventListener('keydown', (e) => {
  if (!state.user || $('#app').hidden) return;
  const work = state.views.work;
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const key = e.key.toLowerCase();
    if (key === 'a' && work) {
      e.preventDefault();
      show('work');
      work.acceptNext();
    } else if (key === 'c' && work?.current) {
      e.preventDefault();
      work.close();
    } else if (key === 's' && state.views.search) {
      e.preventDefault();
      show('search');
    } else if (key === 'h') {
      e.preventDefault();
      $('#shortcuts').showModal();
    }
  } else if (e.key === '?' && !typingIn(document.activeElement)) {
    e.preventDefault();
    $('#shortcuts').showModal();
  }
});
$('#shortcuts-open').addEventListener('click', () => $('#shortcuts').showModal());

/** Live updates: frames say what changed; views reload it through the API. */
function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/console/v1/stream`;
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.addEventListener('open', () => {
    state.retry = 1000;
    $('#stream-state').classList.add('live');
  });
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'alert') {
      const open = frame.alert.conversationId && state.views.work ? { label: t('notify.open'), run: () => state.views.work.openChat(frame.alert.conversationId) } : undefined;
      toast(`⚠ ${frame.alert.message}`, frame.alert.kind === 'crisis' ? 'crisis' : '', open);
      state.notifier?.alert(frame.alert);
    }
    for (const view of Object.values(state.views)) view?.onFrame(frame);
  });
  socket.addEventListener('close', (event) => {
    $('#stream-state').classList.remove('live');
    if (state.socket !== socket) return;
    if (event.code === 4401) return signedOut();
    setTimeout(connect, state.retry);
    state.retry = Math.min(state.retry * 2, 30000);
  });
}

// A fallback refresh in case a frame was missed while reconnecting; views redraw only what changed.
setInterval(() => {
  if (state.view && !document.hidden) state.views[state.view]?.refresh(true);
}, 15000);

boot();
