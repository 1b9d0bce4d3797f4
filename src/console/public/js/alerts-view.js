// Supervisor alerts: crisis, SLA breaches, abuse reports, chats whose counselor went offline.
import { get, post } from './api.js';
import { $, clear, dateTime, h } from './dom.js';

const KIND = { crisis: '위기', sla_breach: 'SLA 초과', abuse: '욕설 보고', no_counselor: '담당자 부재' };

export class AlertsView {
  constructor(state) {
    this.state = state;
  }

  onFrame(frame) {
    if ((frame.type === 'alert' || frame.type === 'alerts') && this.state.view === 'alerts') this.refresh();
  }

  async refresh() {
    const { items } = await get('/alerts');
    const list = clear($('#alerts'));
    if (!items.length) list.append(h('li', { class: 'muted' }, '알림이 없습니다.'));
    for (const a of items) {
      list.append(
        h(
          'li',
          { class: `${a.kind === 'crisis' ? 'crisis' : ''} ${a.acknowledgedAt ? 'acked' : ''}`, 'data-testid': 'alert', dataset: { kind: a.kind } },
          h('strong', {}, KIND[a.kind] ?? a.kind),
          h('span', {}, dateTime(a.raisedAt)),
          h('span', { class: 'spacer' }, a.message),
          a.acknowledgedAt
            ? h('span', { class: 'muted' }, '확인됨')
            : h('button', { class: 'small', onclick: async () => {
                await post(`/alerts/${a.id}/ack`);
                this.refresh();
              } }, '확인'),
        ),
      );
    }
  }
}
