// The interpreter's reduced console: only the chats they are invited into (the server enforces it),
// join, the transcript from the join on, messages to the resident (delivered with their name) or
// to the counselor only (internal), and leave. Frames about invited chats reload the open one.
import { ApiError, get, post } from './api.js';
import { $, clear, h, time, toast } from './dom.js';
import { label, t } from './i18n.js';

export class InterpretingView {
  constructor(state) {
    this.state = state;
    this.current = null; // open invitation (session id)
    this.signature = '';
    this.known = null; // invitation ids already listed (null until the first load)
    $('#interp-join').addEventListener('click', () => this.join());
    $('#interp-to-resident').addEventListener('click', () => this.send('resident'));
    $('#interp-to-counselor').addEventListener('click', () => this.send('counselor'));
    $('#interp-leave').addEventListener('click', () => this.leave());
    $('#interp-composer').addEventListener('submit', (e) => e.preventDefault());
  }

  onFrame(frame) {
    if (frame.type !== 'conversation' && frame.type !== 'message') return;
    this.refresh();
  }

  async refresh() {
    try {
      const { items } = await get('/interpreting');
      // A new invitation while the console is open is announced (the list alone is easy to miss).
      if (this.known && items.some((i) => !this.known.has(i.session.id))) toast(t('interp.newInvitation'));
      this.known = new Set(items.map((i) => i.session.id));
      const list = clear($('#interp-invitations'));
      if (!items.length) list.append(h('li', { class: 'muted' }, t('interp.none')));
      for (const item of items) {
        list.append(
          h(
            'li',
            { class: item.session.id === this.current ? 'active' : '', 'data-testid': 'interp-invitation', dataset: { session: item.session.id, conversationId: item.conversation.id } },
            h('button', { type: 'button', class: 'linkish', onclick: () => this.open(item.session.id) }, t('interp.row', {
              language: label('language', item.conversation.language),
              channel: label('channel', item.conversation.channel),
              counselor: item.counselorName ?? '-',
              status: t(`interp.status.${item.session.status}`),
            })),
          ),
        );
      }
      if (this.current) await this.open(this.current, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async open(sessionId, quiet = false) {
    try {
      const view = await get(`/interpreting/${encodeURIComponent(sessionId)}`);
      this.current = sessionId;
      this.render(view, !quiet);
    } catch (err) {
      // The chat moved on or the interpreter left: nothing to act on any more.
      if (err instanceof ApiError && (err.status === 404 || err.status === 409) && sessionId === this.current) return this.close(err.message);
      this.fail(err);
    }
  }

  render(view, force) {
    const signature = JSON.stringify([view.session.status, view.messages.map((m) => m.id)]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    const joined = view.session.status === 'joined';
    $('#interp-chat').hidden = false;
    $('#interp-chat-title').textContent = t('interp.chatTitle', { language: label('language', view.conversation.language), channel: label('channel', view.conversation.channel) });
    $('#interp-chat-meta').textContent = t('interp.chatMeta', { counselor: view.counselorName ?? '-', status: t(`interp.status.${view.session.status}`) });
    $('#interp-join').hidden = joined;
    $('#interp-composer').hidden = !joined;
    const list = clear($('#interp-transcript'));
    if (!joined) list.append(h('li', { class: 'muted' }, t('interp.beforeJoin')));
    for (const m of view.messages) list.append(this.message(m));
    list.scrollTop = list.scrollHeight;
    $('#interp-error').textContent = '';
  }

  message(m) {
    const mine = m.authorId === this.state.user.id;
    const author = mine ? (m.internal ? t('msg.interpreterToCounselor', { name: this.state.user.displayName }) : t('msg.interpreter', { name: this.state.user.displayName })) : label('author', m.author);
    const who = `${author}${m.internal && !mine ? ` · ${t('msg.internal')}` : ''} · ${time(m.createdAt)}`;
    const li = h('li', { class: ['msg', m.author, m.internal ? 'internal' : '', mine ? 'interpreter' : ''].join(' '), 'data-testid': 'interp-message', dataset: { author: m.author, internal: String(m.internal), mine: String(mine) } }, h('span', { class: 'who' }, who));
    if (m.masked) li.append(t('msg.masked'));
    else if (m.text) li.append(m.text);
    return li;
  }

  async join() {
    if (!this.current) return;
    try {
      await post(`/interpreting/${encodeURIComponent(this.current)}/join`);
      toast(t('interp.joined'));
      await this.open(this.current);
      $('#interp-text').focus();
    } catch (err) {
      this.fail(err);
    }
  }

  async send(to) {
    const text = $('#interp-text').value.trim();
    if (!this.current || !text) return;
    try {
      await post(`/interpreting/${encodeURIComponent(this.current)}/messages`, { to, text });
      $('#interp-text').value = '';
      toast(t('interp.sent'));
      await this.open(this.current, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async leave() {
    if (!this.current) return;
    try {
      await post(`/interpreting/${encodeURIComponent(this.current)}/leave`);
      toast(t('interp.left'));
      this.close();
      await this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  close(message = '') {
    this.current = null;
    this.signature = '';
    $('#interp-chat').hidden = true;
    if (message) toast(message);
  }

  fail(err) {
    $('#interp-error').textContent = err.message;
    if (err instanceof ApiError && err.status === 401) this.state.signedOut?.();
  }
}
