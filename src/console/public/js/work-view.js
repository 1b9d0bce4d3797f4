// The counselor's workspace: the live queue (last message, SLA countdown), my chats, and the open
// chat with every action. The open chat is redrawn only when it changed, and keeps the reading
// position unless the counselor was at the newest message.
import { api, ApiError, get, post } from './api.js';
import { offerBreak } from './care-prompt.js';
import { CannedPicker } from './canned-picker.js';
import { $, clear, confirmDialog, dateTime, duration, h, time, toast } from './dom.js';
import { label, t } from './i18n.js';
import { resizePhoto } from './photo.js';

const AT_BOTTOM_PX = 40;

export class WorkView {
  constructor(state, { notifier, search }) {
    this.state = state;
    this.notifier = notifier;
    this.search = search;
    this.current = null; // conversation id open in the chat pane
    this.detail = null;
    this.signature = '';
    this.revealed = new Map(); // message id -> revealed text
    this.unread = new Set();
    this.queueItems = [];
    this.previews = new Map();
    this.residentRead = new Map(); // conversation id -> seq the resident has read up to
    this.supervisor = state.user.role === 'supervisor';
    $('#mine-title').dataset.i18n = this.supervisor ? 'mine.all' : 'mine.title';
    $('#mine-title').textContent = t($('#mine-title').dataset.i18n);
    this.canned = new CannedPicker({ textarea: $('#composer-text'), list: $('#canned-results'), language: () => this.detail?.conversation.language ?? 'ko' });
    this.bind();
    this.loadCounselors();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  bind() {
    $('#composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send(false);
    });
    $('#composer-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !this.canned.open) {
        e.preventDefault();
        this.send(e.shiftKey);
      }
    });
    $('#composer-text').addEventListener('input', () => this.typing());
    $('#send-note').addEventListener('click', () => this.send(true));
    $('#save-canned').addEventListener('click', () => this.saveCanned());
    $('#attach').addEventListener('click', () => $('#attach-input').click());
    $('#attach-input').addEventListener('change', () => {
      const file = $('#attach-input').files?.[0];
      $('#attach-input').value = '';
      if (file) this.attach(file);
    });
    $('#close').addEventListener('click', () => this.close());
    $('#handback').addEventListener('click', () => this.act('handback', {}, t('toast.handback')));
    $('#requeue').addEventListener('click', () => this.act('requeue', {}, t('toast.requeue')));
    $('#transfer').addEventListener('click', () => this.transfer());
    // Presence changes all the time: the list is fresh whenever it is opened.
    $('#transfer-target').addEventListener('focus', () => this.loadCounselors());
    $('#warn').addEventListener('click', () => this.act('warn', {}, t('toast.warned')));
    $('#report-abuse').addEventListener('click', async () => {
      const note = window.prompt(t('tools.reportNote')) ?? undefined;
      await this.act('report-abuse', note ? { note } : {}, t('toast.reported'));
    });
    $('#to-supervisor').addEventListener('click', () => this.act('to-supervisor', {}, t('toast.toSupervisor')));
    // Supervisors are who it goes to.
    $('#to-supervisor').hidden = this.supervisor;
    $('#chat-back').addEventListener('click', () => this.clearPane());
    $('#transcript').addEventListener('scroll', () => this.markRead());
    this.fillResolutions();
  }

  fillResolutions() {
    const resolution = clear($('#resolution'));
    for (const code of this.state.session.resolutionCodes) resolution.append(h('option', { value: code }, label('resolution', code)));
  }

  /** Re-labels what this view drew itself (after a language switch). */
  relabel() {
    this.fillResolutions();
    this.loadCounselors();
    this.renderQueue();
    this.loadMine();
    if (this.detail) this.render(this.detail, true);
  }

  async refresh() {
    await Promise.all([this.loadQueue(), this.loadMine(), this.current ? this.openChat(this.current, true) : null]);
  }

  onFrame(frame) {
    // A chat being transferred or handed back is not re-read: it is about to stop being ours.
    if (frame.conversationId && frame.conversationId === this.leaving) return;
    if (frame.type === 'queue') this.loadQueue();
    if (frame.type === 'presence') this.loadCounselors();
    if (frame.type === 'conversation') {
      this.loadMine();
      if (frame.conversationId === this.current) this.openChat(this.current, true);
    }
    if (frame.type === 'message') {
      if (frame.conversationId === this.current) this.openChat(this.current, true);
      else {
        this.unread.add(frame.conversationId);
        this.loadMine();
      }
      if (this.queueItems.some((i) => i.conversationId === frame.conversationId)) this.loadQueue();
    }
    if (frame.type === 'typing' && frame.conversationId === this.current && frame.who === 'resident') {
      $('#resident-typing').textContent = frame.typing ? t('chat.residentTyping') : '';
      clearTimeout(this.typingTimer);
      if (frame.typing) this.typingTimer = setTimeout(() => ($('#resident-typing').textContent = ''), 7000);
    }
    if (frame.type === 'read' && frame.who === 'resident') {
      this.residentRead.set(frame.conversationId, Math.max(frame.upToSeq, this.residentRead.get(frame.conversationId) ?? 0));
      if (frame.conversationId === this.current && this.detail) this.render(this.detail, true);
    }
  }

  // ---- queue ------------------------------------------------------------------------------------

  async loadQueue() {
    try {
      const [{ items }, previews] = await Promise.all([get('/queue'), get('/queue/previews').catch(() => ({ items: [] }))]);
      this.queueItems = items;
      this.previews = new Map(previews.items.map((p) => [p.conversationId, p]));
      this.notifier.queueChanged(items);
      this.renderQueue();
    } catch (err) {
      this.fail(err);
    }
  }

  renderQueue() {
    const items = this.queueItems;
    const body = clear($('#queue-body'));
    $('#queue-count').textContent = String(items.length);
    $('#queue-empty').hidden = items.length > 0;
    for (const item of items) {
      const preview = this.previews.get(item.conversationId);
      const last = preview?.last;
      const previewText = last ? `${label('author', last.author)}: ${last.photo ? '📷 ' : ''}${last.text ?? '…'}` : '';
      body.append(
        h(
          'tr',
          {
            class: [item.priority === 'crisis' ? 'crisis' : '', item.matchesMySkills ? 'mine-skill' : ''].join(' '),
            'data-testid': 'queue-row',
            dataset: { conversationId: item.conversationId, priority: item.priority },
            title: [item.team && t('queue.team', { team: item.team }), item.callback && t('queue.callback'), item.lastIntent && t('queue.intent', { intent: label('intent', item.lastIntent) })].filter(Boolean).join(' · '),
          },
          h('td', {}, item.position),
          h('td', { class: `prio ${item.priority}` }, label('priority', item.priority), item.callback ? ' ✉' : '', h('br'), h('small', {}, `${label('language', item.language)} · ${label('channel', item.channel)}`)),
          h('td', { class: 'preview', 'data-testid': 'queue-preview', title: previewText }, previewText),
          h('td', { class: 'wait', dataset: { since: item.waitingSince } }, duration(Date.now() - Date.parse(item.waitingSince))),
          h('td', { class: 'sla', 'data-testid': 'queue-sla', dataset: { deadline: preview?.slaDeadline ?? '' } }),
          h(
            'td',
            {},
            h('button', { class: 'small secondary', onclick: () => this.openChat(item.conversationId) }, t('queue.view')),
            ' ',
            h('button', { class: 'small', 'data-testid': 'accept', onclick: () => this.accept(item.conversationId) }, t('queue.accept')),
          ),
        ),
      );
    }
    this.tick();
  }

  /** Every second: waiting times and SLA countdowns. */
  tick() {
    const now = Date.now();
    for (const cell of document.querySelectorAll('#queue-body td.wait')) cell.textContent = duration(now - Date.parse(cell.dataset.since));
    for (const cell of document.querySelectorAll('#queue-body td.sla')) {
      if (!cell.dataset.deadline) continue;
      const left = Date.parse(cell.dataset.deadline) - now;
      cell.textContent = left >= 0 ? t('queue.slaLeft', { time: duration(left) }) : t('queue.slaOver', { time: duration(-left) });
      cell.classList.toggle('late', left < 0);
      cell.classList.toggle('soon', left >= 0 && left < 30_000);
    }
  }

  /** Accepts the chat at the head of the queue (Alt+A). */
  acceptNext() {
    const head = this.queueItems[0];
    if (!head) return toast(t('toast.nothingToAccept'));
    return this.accept(head.conversationId);
  }

  async loadMine() {
    try {
      const { items } = await get(`/conversations?scope=${this.supervisor ? 'all' : 'mine'}`);
      const list = clear($('#mine'));
      if (!items.length) list.append(h('li', { class: 'muted' }, t('mine.empty')));
      for (const c of items) {
        list.append(
          h(
            'li',
            { class: c.id === this.current ? 'active' : '', 'data-testid': 'my-chat', dataset: { conversationId: c.id } },
            h('button', { class: 'linkish', onclick: () => this.openChat(c.id) }, `${label('language', c.language)} · ${label('channel', c.channel)}`, this.supervisor && c.assigneeName ? ` · ${c.assigneeName}` : ''),
            h('span', { class: this.unread.has(c.id) ? 'unread' : 'muted' }, this.unread.has(c.id) ? t('mine.new') : label('priority', c.priority)),
          ),
        );
      }
    } catch (err) {
      this.fail(err);
    }
  }

  async loadCounselors() {
    try {
      const { items, teams } = await get('/counselors');
      const select = $('#transfer-target');
      const chosen = select.value;
      clear(select);
      select.append(h('option', { value: '' }, t('transfer.choose')));
      for (const team of teams) select.append(h('option', { value: `team:${team}` }, t('transfer.team', { team })));
      for (const u of items) {
        if (u.id === this.state.user.id) continue;
        select.append(h('option', { value: `user:${u.id}`, dataset: { presence: u.presence } }, `${u.displayName} (${label('presence', u.presence)}, ${u.languages.join('/')}, ${u.load}/${u.cap})`));
      }
      select.value = chosen;
    } catch (err) {
      this.fail(err);
    }
  }

  async accept(id) {
    try {
      await post(`/conversations/${id}/accept`);
      toast(t('toast.accepted'));
      await this.loadQueue();
      await this.loadMine();
      await this.openChat(id);
      $('#composer-text').focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) toast(err.message);
      this.fail(err);
      this.loadQueue();
    }
  }

  // ---- the open chat ----------------------------------------------------------------------------

  async openChat(id, quiet = false) {
    try {
      const detail = await get(`/conversations/${id}`);
      if (quiet && this.current !== id) return; // another chat was opened meanwhile
      if (!quiet || this.current !== id) {
        this.revealed.clear();
        this.signature = '';
      }
      this.current = id;
      this.detail = detail;
      this.unread.delete(id);
      this.render(detail, !quiet);
      if (!quiet) {
        $('#chat-error').textContent = '';
        this.loadMine();
        if (this.state.view !== 'work') this.state.show('work');
      }
    } catch (err) {
      // The chat moved on (transferred, handed back, closed by someone else): nothing to act on here.
      if (err instanceof ApiError && (err.status === 403 || err.status === 404) && id === this.current) {
        this.clearPane(t('chat.left'));
        return;
      }
      this.fail(err);
    }
  }

  /** Empties the chat pane and disables its tools (after a transfer, a handback, or "back"). */
  clearPane(message = '') {
    this.current = null;
    this.detail = null;
    this.signature = '';
    $('#chat-body').hidden = true;
    $('#chat-placeholder').hidden = false;
    $('#chat-placeholder').textContent = message || t('chat.placeholder');
    $('#view-work').classList.remove('chat-open');
    $('#composer-text').value = '';
    for (const el of document.querySelectorAll('#owner-tools button, #owner-tools textarea, #owner-tools input, #owner-tools select')) el.disabled = true;
    this.loadMine();
  }

  render(d, force = false) {
    const c = d.conversation;
    // Only redraw what changed: the fallback refresh and frames about other things must not
    // reset the counselor's reading position or typing.
    const signature = JSON.stringify([c.state, c.assigneeId, c.priority, d.messages.map((m) => m.id), [...this.revealed.keys()], this.residentRead.get(c.id), t('chat.read')]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    $('#chat-placeholder').hidden = true;
    $('#chat-body').hidden = false;
    $('#view-work').classList.add('chat-open');
    $('#chat-title').textContent = t('chat.resident', { language: label('language', c.language), channel: label('channel', c.channel) });
    $('#chat-meta').textContent = [
      t('chat.language', { language: c.language }),
      t('chat.intent', { intent: c.lastIntent ? `${label('intent', c.lastIntent)} (${c.lastIntent})` : '-' }),
      t('chat.priority', { priority: label('priority', c.priority) }),
      c.assigneeName ? t('chat.assignee', { name: c.assigneeName }) : null,
      t('chat.started', { time: dateTime(c.createdAt) }),
    ]
      .filter(Boolean)
      .join(' · ');
    $('#chat-state').textContent = label('state', c.state);
    $('#chat-state').dataset.state = c.state;
    const ticketRefs = d.tickets.map((x) => x.reference);
    $('#chat-glance').textContent = `${t('chat.glance', { conversations: d.otherConversations.length, tickets: d.tickets.length })}${ticketRefs.length ? ` · ${ticketRefs.slice(0, 3).join(', ')}` : ''}`;

    const context = clear($('#chat-context'));
    context.append(
      h('p', {}, t('chat.channels', { channels: d.resident.channels.map((i) => `${label('channel', i.channel)} (${i.externalUserId})`).join(', ') || '-' })),
      h('p', {}, t('chat.history')),
      h('ul', {}, d.otherConversations.length ? d.otherConversations.map((o) => h('li', {}, h('button', { class: 'linkish', onclick: () => this.openChat(o.id) }, `${dateTime(o.createdAt)} · ${label('channel', o.channel)} · ${label('state', o.state)} · ${o.lastIntent ? label('intent', o.lastIntent) : ''} ${o.resolution ? `· ${label('resolution', o.resolution)}` : ''}`))) : h('li', { class: 'muted' }, t('chat.none'))),
      h('p', {}, t('chat.tickets')),
      h('ul', {}, d.tickets.length ? d.tickets.map((x) => h('li', {}, `${x.reference} · ${label('intent', x.category)} · ${label('ticket', x.status)}`)) : h('li', { class: 'muted' }, t('chat.none'))),
      h('button', { class: 'small secondary', onclick: () => this.search.searchFor({ resident: d.resident.id }).then(() => this.state.show('search')) }, t('chat.searchResident')),
    );

    const list = $('#transcript');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < AT_BOTTOM_PX;
    const keep = list.scrollTop;
    const sameChat = list.dataset.conversationId === c.id;
    clear(list).append(...d.messages.map((m) => this.message(m, c)));
    list.dataset.conversationId = c.id;
    list.scrollTop = !sameChat || atBottom ? list.scrollHeight : keep;

    const mine = c.state === 'assigned' && c.assigneeId === this.state.user.id;
    const canAct = mine || (this.supervisor && (c.state === 'assigned' || c.state === 'queued'));
    $('#owner-tools').hidden = !canAct;
    for (const el of document.querySelectorAll('#owner-tools button, #owner-tools textarea, #owner-tools input, #owner-tools select')) el.disabled = false;
    const supervising = this.supervisor && c.state === 'assigned';
    for (const sel of ['#composer-quick', '[data-testid=send]', '[data-testid=warn]', '#attach', '#transfer', '#transfer-target', '#transfer-note']) $(sel).disabled = !mine;
    $('#composer-text').disabled = !(mine || this.supervisor); // supervisors may leave notes
    for (const sel of ['[data-testid=close]', '[data-testid=handback]', '#resolution']) $(sel).disabled = !(mine || supervising);
    $('#requeue').hidden = !this.supervisor;
    $('#chat-error').textContent = c.state === 'queued' && !mine ? t('chat.queuedHint') : '';
    this.markRead();
  }

  message(m, c) {
    const revealed = this.revealed.get(m.id);
    const classes = ['msg', m.author, m.internal ? 'internal' : '', m.crisis ? 'crisis' : '', m.masked && !revealed ? 'masked' : ''].join(' ');
    const who = `${label('author', m.author)}${m.internal ? ` · ${t('msg.internal')}` : ''} · ${time(m.createdAt)}`;
    const li = h('li', { class: classes, 'data-testid': 'message', dataset: { author: m.author, id: m.id, internal: String(m.internal), seq: String(m.seq) } }, h('span', { class: 'who' }, who));
    if (m.masked && revealed === undefined) {
      li.append(
        h('span', { 'data-testid': 'masked' }, t('msg.masked')),
        h('button', { class: 'small secondary', 'data-testid': 'reveal', onclick: () => this.reveal(m.id) }, t('msg.reveal')),
      );
      return li;
    }
    const text = revealed ?? m.text;
    if (text) li.append(text);
    else if (m.payload) li.append(t('msg.button', { payload: m.payload }));
    if (m.location) li.append(t('msg.location', { where: m.location.address ?? `${m.location.latitude}, ${m.location.longitude}` }));
    (m.images ?? []).forEach((image, n) => {
      // Stored uploads and platform files (Telegram) come through the console's own route.
      const src = /^(https:|data:image\/)/.test(image.url) ? image.url : `/api/console/v1/conversations/${c.id}/messages/${m.id}/images/${n}`;
      li.append(h('a', { href: src, target: '_blank', rel: 'noopener' }, h('img', { class: 'photo', src, loading: 'lazy', alt: image.caption ?? (m.author === 'resident' ? t('msg.photo') : t('msg.photoCounselor')) })));
    });
    if (m.quickReplies?.length) li.append(h('div', { class: 'qr' }, m.quickReplies.map((q) => h('span', {}, q.label))));
    if (m.links?.length) li.append(h('div', { class: 'qr' }, m.links.map((l) => h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer' }, l.title))));
    if (m.author === 'counselor' && !m.internal && (this.residentRead.get(c.id) ?? 0) >= m.seq) li.append(h('span', { class: 'read', 'data-testid': 'read' }, `✓ ${t('chat.read')}`));
    return li;
  }

  /** Tells the resident their messages were read, once the newest ones are on screen. */
  markRead() {
    const d = this.detail;
    const list = $('#transcript');
    if (!d || document.hidden || d.conversation.assigneeId !== this.state.user.id) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight > AT_BOTTOM_PX) return;
    const last = d.messages.filter((m) => m.author === 'resident').at(-1);
    if (!last || (this.readSent?.id === d.conversation.id && this.readSent.seq >= last.seq)) return;
    this.readSent = { id: d.conversation.id, seq: last.seq };
    post(`/conversations/${d.conversation.id}/read`, { upToSeq: last.seq }).catch(() => undefined);
  }

  /** Tells the resident the counselor is writing (at most every 3 s, "stopped" after 5 s idle). */
  typing() {
    const c = this.detail?.conversation;
    if (!c || c.assigneeId !== this.state.user.id || c.state !== 'assigned' || $('#composer-text').value.startsWith('/')) return;
    const now = Date.now();
    if (!this.typingAt || now - this.typingAt > 3000) {
      this.typingAt = now;
      post(`/conversations/${c.id}/typing`, { typing: true }).catch(() => undefined);
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => {
      this.typingAt = 0;
      post(`/conversations/${c.id}/typing`, { typing: false }).catch(() => undefined);
    }, 5000);
  }

  async reveal(messageId) {
    try {
      const { message } = await post(`/conversations/${this.current}/messages/${messageId}/reveal`);
      this.revealed.set(messageId, message.text ?? '');
      this.render(this.detail, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async send(internal) {
    if (!this.current) return;
    const text = $('#composer-text').value.trim();
    const quick = $('#composer-quick').value.split(',').map((s) => s.trim()).filter(Boolean);
    if (!text && !quick.length) return;
    try {
      if (internal) await post(`/conversations/${this.current}/notes`, { text });
      else await post(`/conversations/${this.current}/messages`, { ...(text && { text }), ...(quick.length && { quickReplies: quick.map((q) => ({ label: q.slice(0, 40), payload: q })) }) });
      $('#composer-text').value = '';
      $('#composer-quick').value = '';
      clearTimeout(this.typingIdle);
      this.typingAt = 0;
      await this.openChat(this.current, true);
      const list = $('#transcript');
      list.scrollTop = list.scrollHeight;
    } catch (err) {
      this.fail(err);
    }
  }

  async saveCanned() {
    const text = $('#composer-text').value.trim();
    if (!text) return;
    const title = window.prompt(t('composer.cannedTitle'), text.slice(0, 30));
    if (!title) return;
    try {
      await post('/canned-answers', { scope: 'personal', title, text, language: this.detail?.conversation.language ?? 'ko' });
      toast(t('composer.cannedSaved'));
    } catch (err) {
      this.fail(err);
    }
  }

  async attach(file) {
    if (!this.current) return;
    try {
      const blob = await resizePhoto(file);
      await api('POST', `/conversations/${this.current}/attachments`, blob);
      toast(t('composer.photoSent'));
      await this.openChat(this.current, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async close() {
    if (!this.current || $('#close').disabled) return;
    const resolution = $('#resolution').value;
    if (!this.supervisor) this.leaving = this.current;
    try {
      await this.closeNow(resolution);
    } finally {
      this.leaving = null;
    }
  }

  async closeNow(resolution) {
    try {
      await post(`/conversations/${this.current}/close`, { resolution });
      toast(t('toast.closed'));
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'resident_waiting')) return this.fail(err);
      const ok = await confirmDialog(t('close.confirm'));
      if (!ok) return;
      try {
        await post(`/conversations/${this.current}/close`, { resolution, confirm: true });
        toast(t('toast.closedPlain'));
      } catch (err2) {
        return this.fail(err2);
      }
    }
    await this.afterLeave();
    await offerBreak();
  }

  async transfer() {
    const target = $('#transfer-target').value;
    if (!target) return toast(t('transfer.pick'));
    const note = $('#transfer-note').value.trim();
    const [kind, value] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
    await this.act('transfer', { ...(kind === 'team' ? { team: value } : { toCounselorId: value }), ...(note && { note }) }, t('toast.transfer'));
    $('#transfer-note').value = '';
  }

  async act(action, body, done) {
    if (!this.current) return;
    const leaves = ['handback', 'transfer', 'requeue', 'to-supervisor'].includes(action) && !this.supervisor;
    if (leaves) this.leaving = this.current;
    try {
      await post(`/conversations/${this.current}/${action}`, body);
      toast(done);
      if (['handback', 'transfer', 'requeue', 'to-supervisor'].includes(action)) await this.afterLeave();
      if (action === 'to-supervisor') await offerBreak();
      else await this.openChat(this.current, true);
    } catch (err) {
      this.fail(err);
    } finally {
      this.leaving = null;
    }
  }

  /** After the chat left this counselor: counselors get an empty pane, supervisors a read-only view. */
  async afterLeave() {
    await Promise.all([this.loadQueue(), this.loadMine()]);
    if (this.supervisor && this.current) await this.openChat(this.current, true);
    else this.clearPane();
  }

  fail(err) {
    $('#chat-error').textContent = err.message;
    if (err instanceof ApiError && err.status === 401) this.state.signedOut?.();
  }
}
