// The counselor's workspace: the live queue, my chats, and the open chat with every action.
import { ApiError, get, post } from './api.js';
import { $, clear, confirmDialog, dateTime, duration, h, label, time, toast } from './dom.js';

export class WorkView {
  constructor(state) {
    this.state = state;
    this.current = null; // conversation id open in the chat pane
    this.detail = null;
    this.revealed = new Map(); // message id -> revealed text
    this.unread = new Set();
    this.supervisor = state.user.role === 'supervisor';
    $('#mine-title').textContent = this.supervisor ? '진행 중인 상담 (전체)' : '내 상담';
    this.bind();
    this.loadCounselors();
    setInterval(() => this.tickWaits(), 1000);
  }

  bind() {
    $('#composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.send(false);
    });
    $('#composer-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.send(false);
    });
    $('#send-note').addEventListener('click', () => this.send(true));
    $('#canned-search').addEventListener('click', () => this.searchCanned());
    $('#canned-q').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.searchCanned();
      }
    });
    $('#close').addEventListener('click', () => this.close());
    $('#handback').addEventListener('click', () => this.act('handback', {}, '챗봇에게 돌려주었습니다.'));
    $('#requeue').addEventListener('click', () => this.act('requeue', {}, '대기열로 되돌렸습니다.'));
    $('#transfer').addEventListener('click', () => this.transfer());
    $('#warn').addEventListener('click', () => this.act('warn', {}, '경고 안내를 보냈습니다.'));
    $('#report-abuse').addEventListener('click', async () => {
      const note = window.prompt('관리자에게 전달할 메모 (선택)') ?? undefined;
      await this.act('report-abuse', note ? { note } : {}, '관리자에게 보고했습니다. 증거가 보관되었습니다.');
    });
    const resolution = $('#resolution');
    for (const code of this.state.session.resolutionCodes) resolution.append(h('option', { value: code }, label('resolution', code)));
  }

  async refresh() {
    await Promise.all([this.loadQueue(), this.loadMine(), this.current ? this.openChat(this.current, true) : null]);
  }

  onFrame(frame) {
    if (frame.type === 'queue') this.loadQueue();
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
    }
  }

  async loadQueue() {
    try {
      const { items } = await get('/queue');
      const body = clear($('#queue-body'));
      $('#queue-count').textContent = String(items.length);
      $('#queue-empty').hidden = items.length > 0;
      for (const item of items) {
        const row = h(
          'tr',
          {
            class: [item.priority === 'crisis' ? 'crisis' : '', item.matchesMySkills ? 'mine-skill' : ''].join(' '),
            'data-testid': 'queue-row',
            dataset: { conversationId: item.conversationId, priority: item.priority },
            title: [item.team && `팀: ${item.team}`, item.callback && '연락 요청 메시지', item.lastIntent && `의도: ${item.lastIntent}`].filter(Boolean).join(' · '),
          },
          h('td', {}, item.position),
          h('td', { class: `prio ${item.priority}` }, label('priority', item.priority), item.callback ? ' ✉' : ''),
          h('td', {}, label('language', item.language)),
          h('td', {}, item.channel),
          h('td', { class: 'wait', dataset: { since: item.waitingSince } }, duration(Date.now() - Date.parse(item.waitingSince))),
          h(
            'td',
            {},
            h('button', { class: 'small secondary', onclick: () => this.openChat(item.conversationId) }, '보기'),
            ' ',
            h('button', { class: 'small', 'data-testid': 'accept', onclick: () => this.accept(item.conversationId) }, '수락'),
          ),
        );
        body.append(row);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  tickWaits() {
    for (const cell of document.querySelectorAll('#queue-body td.wait')) cell.textContent = duration(Date.now() - Date.parse(cell.dataset.since));
  }

  async loadMine() {
    try {
      const { items } = await get(`/conversations?scope=${this.supervisor ? 'all' : 'mine'}`);
      const list = clear($('#mine'));
      if (!items.length) list.append(h('li', { class: 'muted' }, '진행 중인 상담이 없습니다.'));
      for (const c of items) {
        list.append(
          h(
            'li',
            { class: c.id === this.current ? 'active' : '', 'data-testid': 'my-chat', dataset: { conversationId: c.id }, onclick: () => this.openChat(c.id) },
            h('span', {}, `${label('language', c.language)} · ${c.channel}`, this.supervisor && c.assigneeName ? ` · ${c.assigneeName}` : ''),
            h('span', { class: this.unread.has(c.id) ? 'unread' : 'muted' }, this.unread.has(c.id) ? '새 메시지' : label('priority', c.priority)),
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
      const select = clear($('#transfer-target'));
      select.append(h('option', { value: '' }, '이관 대상 선택'));
      for (const team of teams) select.append(h('option', { value: `team:${team}` }, `팀: ${team}`));
      for (const u of items) {
        if (u.id === this.state.user.id) continue;
        select.append(h('option', { value: `user:${u.id}` }, `${u.displayName} (${label('presence', u.presence)}, ${u.languages.join('/')}, ${u.load}/${u.cap})`));
      }
    } catch (err) {
      this.fail(err);
    }
  }

  async accept(id) {
    try {
      await post(`/conversations/${id}/accept`);
      toast('상담을 수락했습니다.');
      await this.loadQueue();
      await this.loadMine();
      await this.openChat(id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) toast(err.message);
      this.fail(err);
      this.loadQueue();
    }
  }

  async openChat(id, quiet = false) {
    try {
      const detail = await get(`/conversations/${id}`);
      if (!quiet || this.current !== id) this.revealed.clear();
      this.current = id;
      this.detail = detail;
      this.unread.delete(id);
      this.render(detail);
      if (!quiet) {
        $('#chat-error').textContent = '';
        this.loadMine();
      }
    } catch (err) {
      this.fail(err);
    }
  }

  render(d) {
    const c = d.conversation;
    $('#chat-placeholder').hidden = true;
    $('#chat-body').hidden = false;
    $('#chat-title').textContent = `${label('language', c.language)} 민원인 · ${c.channel}`;
    $('#chat-meta').textContent = [
      `언어: ${c.language}`,
      `의도: ${c.lastIntent ?? '-'}`,
      `우선순위: ${label('priority', c.priority)}`,
      c.assigneeName ? `담당: ${c.assigneeName}` : null,
      `시작 ${dateTime(c.createdAt)}`,
    ]
      .filter(Boolean)
      .join(' · ');
    $('#chat-state').textContent = label('state', c.state);
    $('#chat-state').dataset.state = c.state;

    const context = clear($('#chat-context'));
    context.append(
      h('p', {}, `다른 채널: ${d.resident.channels.map((i) => `${i.channel} (${i.externalUserId})`).join(', ') || '-'}`),
      h('p', {}, '지난 상담:'),
      h('ul', {}, d.otherConversations.length ? d.otherConversations.map((o) => h('li', {}, `${dateTime(o.createdAt)} · ${o.channel} · ${label('state', o.state)} · ${o.lastIntent ?? ''} ${o.resolution ? `· ${label('resolution', o.resolution)}` : ''}`)) : h('li', { class: 'muted' }, '없음')),
      h('p', {}, '민원(티켓):'),
      h('ul', {}, d.tickets.length ? d.tickets.map((t) => h('li', {}, `${t.reference} · ${t.category} · ${t.status}`)) : h('li', { class: 'muted' }, '없음')),
    );

    const list = clear($('#transcript'));
    for (const m of d.messages) list.append(this.message(m));
    list.scrollTop = list.scrollHeight;

    const mine = c.state === 'assigned' && c.assigneeId === this.state.user.id;
    const canAct = mine || (this.supervisor && (c.state === 'assigned' || c.state === 'queued'));
    $('#owner-tools').hidden = !canAct;
    const supervising = this.supervisor && c.state === 'assigned';
    for (const sel of ['#composer-text', '#composer-quick', '[data-testid=send]', '[data-testid=warn]']) $(sel).disabled = !mine;
    $('#composer-text').disabled = !(mine || this.supervisor); // supervisors may leave notes
    for (const sel of ['[data-testid=close]', '[data-testid=handback]']) $(sel).disabled = !(mine || supervising);
    $('#requeue').hidden = !this.supervisor;
    if (c.state === 'queued' && !mine) {
      $('#chat-error').textContent = '대기 중인 상담입니다. 수락하면 답변할 수 있습니다.';
    }
  }

  message(m) {
    const revealed = this.revealed.get(m.id);
    const classes = ['msg', m.author, m.internal ? 'internal' : '', m.crisis ? 'crisis' : '', m.masked && !revealed ? 'masked' : ''].join(' ');
    const who = `${label('author', m.author)}${m.internal ? ' · 내부 메모' : ''} · ${time(m.createdAt)}`;
    const li = h('li', { class: classes, 'data-testid': 'message', dataset: { author: m.author, id: m.id, internal: String(m.internal) } }, h('span', { class: 'who' }, who));
    if (m.masked && revealed === undefined) {
      li.append(
        h('span', { 'data-testid': 'masked' }, '⚠ 욕설로 분류되어 가려진 메시지입니다. '),
        h('button', { class: 'small secondary', 'data-testid': 'reveal', onclick: () => this.reveal(m.id) }, '내용 보기'),
      );
    } else {
      li.append(revealed ?? m.text ?? (m.payload ? `[버튼: ${m.payload}]` : m.images?.length ? '[사진]' : m.location ? `[위치: ${m.location.address ?? `${m.location.latitude}, ${m.location.longitude}`}]` : ''));
      if (m.quickReplies?.length) li.append(h('div', { class: 'qr' }, m.quickReplies.map((q) => h('span', {}, q.label))));
      if (m.links?.length) li.append(h('div', { class: 'qr' }, m.links.map((l) => h('a', { href: l.url, target: '_blank', rel: 'noopener noreferrer' }, l.title))));
    }
    return li;
  }

  async reveal(messageId) {
    try {
      const { message } = await post(`/conversations/${this.current}/messages/${messageId}/reveal`);
      this.revealed.set(messageId, message.text ?? '');
      this.render(this.detail);
    } catch (err) {
      this.fail(err);
    }
  }

  async send(internal) {
    const text = $('#composer-text').value.trim();
    const quick = $('#composer-quick').value.split(',').map((s) => s.trim()).filter(Boolean);
    if (!text && !quick.length) return;
    try {
      if (internal) await post(`/conversations/${this.current}/notes`, { text });
      else await post(`/conversations/${this.current}/messages`, { ...(text && { text }), ...(quick.length && { quickReplies: quick.map((q) => ({ label: q.slice(0, 40), payload: q })) }) });
      $('#composer-text').value = '';
      $('#composer-quick').value = '';
      await this.openChat(this.current, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async searchCanned() {
    try {
      const lang = this.detail?.conversation.language ?? 'ko';
      const { items } = await get(`/canned?lang=${encodeURIComponent(lang)}&q=${encodeURIComponent($('#canned-q').value)}`);
      const list = clear($('#canned-results'));
      for (const item of items) {
        list.append(
          h('li', { 'data-testid': 'canned-item', onclick: () => {
            $('#composer-text').value = item.text;
            $('#composer-text').focus();
          } }, h('strong', {}, item.title), h('br'), item.text.length > 140 ? `${item.text.slice(0, 140)}…` : item.text),
        );
      }
      if (!items.length) list.append(h('li', { class: 'muted' }, '결과가 없습니다.'));
    } catch (err) {
      this.fail(err);
    }
  }

  async close() {
    const resolution = $('#resolution').value;
    try {
      await post(`/conversations/${this.current}/close`, { resolution });
      toast('상담을 종료했습니다. 만족도 조사가 발송되었습니다.');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'resident_waiting')) return this.fail(err);
      const ok = await confirmDialog('민원인의 마지막 메시지에 아직 답하지 않았습니다. 우리는 먼저 끊지 않습니다. 그래도 종료할까요?');
      if (!ok) return;
      try {
        await post(`/conversations/${this.current}/close`, { resolution, confirm: true });
        toast('상담을 종료했습니다.');
      } catch (err2) {
        return this.fail(err2);
      }
    }
    await this.afterLeave();
  }

  async transfer() {
    const target = $('#transfer-target').value;
    if (!target) return toast('이관 대상을 선택하세요.');
    const note = $('#transfer-note').value.trim();
    const [kind, value] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
    await this.act('transfer', { ...(kind === 'team' ? { team: value } : { toCounselorId: value }), ...(note && { note }) }, '이관했습니다.');
    $('#transfer-note').value = '';
  }

  async act(action, body, done) {
    try {
      await post(`/conversations/${this.current}/${action}`, body);
      toast(done);
      if (['handback', 'transfer', 'requeue'].includes(action)) await this.afterLeave();
      else await this.openChat(this.current, true);
    } catch (err) {
      this.fail(err);
    }
  }

  async afterLeave() {
    await Promise.all([this.loadQueue(), this.loadMine()]);
    if (this.current) await this.openChat(this.current, true);
  }

  fail(err) {
    $('#chat-error').textContent = err.message;
    if (err instanceof ApiError && err.status === 401) location.reload();
  }
}
