// Supervisor alerts: crisis, SLA breaches, abuse reports, chats whose counselor went offline. Each
// alert about a chat links to it.
import { get, post } from './api.js';
import { $, clear, dateTime, h } from './dom.js';
import { label, t } from './i18n.js';

export class AlertsView {
  constructor(state, { openChat }) {
    this.state = state;
    this.openChat = openChat;
  }

  onFrame(frame) {
    if ((frame.type === 'alert' || frame.type === 'alerts') && this.state.view === 'alerts') this.refresh();
  }

  async refresh() {
    const { items } = await get('/alerts');
    const list = clear($('#alerts'));
    if (!items.length) list.append(h('li', { class: 'muted' }, t('alerts.none')));
    for (const a of items) {
      list.append(
        h(
          'li',
          { class: `${a.kind === 'crisis' ? 'crisis' : ''} ${a.acknowledgedAt ? 'acked' : ''}`, 'data-testid': 'alert', dataset: { kind: a.kind } },
          h('strong', {}, label('alert', a.kind)),
          h('span', {}, dateTime(a.raisedAt)),
          h('span', { class: 'spacer' }, a.message),
          a.conversationId ? h('button', { class: 'small secondary', 'data-testid': 'alert-open', onclick: () => this.openChat(a.conversationId) }, t('alerts.open')) : null,
          a.acknowledgedAt
            ? h('span', { class: 'muted' }, t('alerts.acked'))
            : h('button', { class: 'small', onclick: async () => {
                await post(`/alerts/${a.id}/ack`);
                this.refresh();
              } }, t('alerts.ack')),
        ),
      );
    }
  }
}
