// Conversation search: words, ticket number, resident, dates. Results open in the chat pane.
import { get } from './api.js';
import { $, clear, dateTime, h } from './dom.js';
import { label, t } from './i18n.js';

export class SearchView {
  constructor(state, { openChat }) {
    this.state = state;
    this.openChat = openChat;
    $('#search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.search();
    });
  }

  onFrame() {}

  refresh(quiet = false) {
    if (!quiet) $('#search-form [name=q]').focus();
  }

  /** Fills the form (e.g. "this resident's chats") and searches. */
  async searchFor(fields) {
    const form = $('#search-form');
    for (const input of form.querySelectorAll('input')) input.value = fields[input.name] ?? '';
    await this.search();
  }

  async search() {
    const form = new FormData($('#search-form'));
    const params = new URLSearchParams();
    for (const [key, value] of form) if (String(value).trim()) params.set(key, String(value).trim());
    const list = clear($('#search-results'));
    $('#search-status').textContent = '';
    try {
      const { items } = await get(`/search?${params}`);
      $('#search-status').textContent = items.length ? t('search.count', { count: items.length }) : t('search.none');
      for (const item of items) {
        const c = item.conversation;
        list.append(
          h(
            'li',
            { 'data-testid': 'search-result', dataset: { conversationId: c.id } },
            h('div', { class: 'row' },
              h('button', { class: 'small', onclick: () => this.openChat(c.id) }, t('search.open')),
              h('strong', {}, `${dateTime(c.createdAt)} · ${label('channel', c.channel)} · ${label('language', c.language)} · ${label('state', c.state)}`),
              c.assigneeName ? h('span', { class: 'muted' }, c.assigneeName) : null,
              item.tickets.length ? h('span', { class: 'tickets' }, item.tickets.join(', ')) : null,
            ),
            ...item.matches.map((m) => h('p', { class: 'hit' }, `${label('author', m.author)} · ${dateTime(m.createdAt)}: ${m.text ?? '…'}`)),
          ),
        );
      }
    } catch (err) {
      $('#search-status').textContent = err.message;
    }
  }
}
