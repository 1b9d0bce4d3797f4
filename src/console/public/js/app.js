// Console entry: sign-in, the views each role may use, presence, and the live stream.
import { ApiError, get, post, setCsrf } from './api.js';
import { $, clear, h, label, toast } from './dom.js';
import { WorkView } from './work-view.js';
import { DashboardView } from './dashboard-view.js';
import { AlertsView } from './alerts-view.js';
import { UsersView } from './users-view.js';

const VIEWS = {
  counselor: [['work', '상담']],
  supervisor: [['work', '상담'], ['dashboard', '대시보드'], ['alerts', '알림']],
  admin: [['users', '계정']],
};

const state = { user: null, session: null, view: null, views: {}, socket: null, retry: 1000 };

async function boot() {
  try {
    const session = await get('/session');
    start(session);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin();
    else showLogin(err.message);
  }
}

function showLogin(message = '') {
  $('#app').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#login-form [name=login]').focus();
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('#login-error').textContent = '';
  try {
    await post('/login', { login: form.get('login'), password: form.get('password') });
    event.target.reset();
    start(await get('/session'));
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
  const staff = state.user.role !== 'admin';
  $('#presence-label').hidden = !staff;
  $('#presence').value = state.user.presence;

  state.views = {
    work: staff ? new WorkView(state) : null,
    dashboard: state.user.role === 'supervisor' ? new DashboardView(state) : null,
    alerts: state.user.role === 'supervisor' ? new AlertsView(state) : null,
    users: state.user.role === 'admin' ? new UsersView(state) : null,
  };
  const tabs = clear($('#tabs'));
  for (const [name, text] of VIEWS[state.user.role]) {
    tabs.append(h('button', { dataset: { view: name }, 'data-testid': `tab-${name}`, onclick: () => show(name) }, text));
  }
  show(VIEWS[state.user.role][0][0]);
  connect();
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
    toast(`상태: ${label('presence', user.presence)}`);
  } catch (err) {
    toast(err.message);
  }
});

$('#logout').addEventListener('click', async () => {
  try {
    await post('/logout');
  } finally {
    state.socket?.close();
    state.socket = null;
    location.reload();
  }
});

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
      toast(`⚠ ${frame.alert.message}`, frame.alert.kind === 'crisis' ? 'crisis' : '');
    }
    for (const view of Object.values(state.views)) view?.onFrame(frame);
  });
  socket.addEventListener('close', (event) => {
    $('#stream-state').classList.remove('live');
    if (state.socket !== socket) return;
    if (event.code === 4401) return showLogin('세션이 끝났습니다. 다시 로그인하세요.');
    setTimeout(connect, state.retry);
    state.retry = Math.min(state.retry * 2, 30000);
  });
}

// A fallback refresh in case a frame was missed while reconnecting.
setInterval(() => {
  if (state.view && !document.hidden) state.views[state.view]?.refresh(true);
}, 15000);

boot();
