// Quality monitoring for QA reviewers and supervisors: the queue of sampled and disputed chats, a
// review's read-only transcript beside the checklist form, and the report (QA scores beside the
// residents' CSAT) with its CSV download. Supervisors may also run a day's sample by hand.
import { get, post } from './api.js';
import { $, clear, dateTime, h, toast } from './dom.js';
import { currentLanguage, label, t } from './i18n.js';

const BASE = '/api/console/v1';
const koreaToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const daysBefore = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const text = (pair) => (pair ? pair[currentLanguage()] ?? pair.ko : '');
const fixed = (x) => (x === null || x === undefined ? '-' : Number(x).toFixed(1));

export class QaView {
  constructor(state) {
    this.state = state;
    this.checklist = null;
    this.current = null;
    $('#qa-sample-form').hidden = state.user.role !== 'supervisor';
    $('#qa-sample-form [name=day]').value = daysBefore(koreaToday(), 1);
    $('#qa-to').value = koreaToday();
    $('#qa-from').value = daysBefore(koreaToday(), 27);
    for (const id of ['#qa-from', '#qa-to', '#qa-period']) $(id).addEventListener('change', () => this.loadReport());
    $('#qa-sample-form').addEventListener('submit', (e) => this.sample(e));
    $('#qa-score-form').addEventListener('submit', (e) => this.submit(e));
  }

  onFrame() {}

  async refresh(background = false) {
    this.checklist ??= await get('/qa/checklist');
    await this.loadQueue();
    if (!background) await this.loadReport();
  }

  async loadQueue() {
    const { items } = await get('/qa/reviews');
    $('#qa-count').textContent = String(items.length);
    const body = clear($('#qa-queue'));
    if (!items.length) body.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('qa.empty'))));
    for (const r of items) {
      body.append(
        h(
          'tr',
          { 'data-testid': 'qa-queue-row', dataset: { conversation: r.conversationId } },
          h('td', {}, r.day),
          h('td', {}, r.counselorName),
          h('td', {}, r.reasons.map((x) => label('qaReason', x)).join(', ')),
          h('td', {}, label('qaStatus', r.status)),
          h('td', {}, h('button', { type: 'button', class: 'small', 'data-testid': 'qa-open', onclick: () => this.open(r.id) }, t('qa.open'))),
        ),
      );
    }
  }

  async open(id) {
    const { review, messages } = await get(`/qa/reviews/${encodeURIComponent(id)}`);
    this.current = review;
    $('#qa-review').hidden = false;
    $('#qa-error').textContent = '';
    $('#qa-review-meta').textContent = t('qa.meta', { counselor: review.counselorName, day: review.day, channel: label('channel', review.channel), reasons: review.reasons.map((x) => label('qaReason', x)).join(', ') });
    clear($('#qa-transcript')).append(
      ...messages
        .filter((m) => !m.internal)
        .map((m) => h('li', { class: `msg ${m.author}` }, h('span', { class: 'who' }, `${label('author', m.author)} · ${dateTime(m.createdAt)}`), m.masked ? t('qa.masked') : m.text ?? '')),
    );
    const last = review.scorings.at(-1);
    const disputed = review.status === 'disputed' ? review.responses.at(-1) : null;
    const items = clear($('#qa-items'));
    if (disputed) items.append(h('p', { class: 'note', 'data-testid': 'qa-dispute' }, t('qa.disputed', { comment: disputed.comment ?? '' })));
    for (const group of this.checklist.groups) {
      items.append(h('h4', { class: 'qa-group' }, text(group.title)));
      for (const item of group.items) {
        const before = last?.answers.find((a) => a.itemId === item.id);
        const choice = (value) =>
          h('label', { class: 'inline' }, h('input', { type: 'radio', name: `r-${item.id}`, value, required: true, checked: before?.result === value, 'data-testid': `qa-${item.id}-${value}` }), ` ${t(`qa.result.${value}`)}`);
        items.append(
          h(
            'fieldset',
            { class: 'qa-item', dataset: { item: item.id } },
            h('legend', {}, text(item.text), item.critical ? h('span', { class: 'critical-mark' }, ` ${t('qa.critical')}`) : null, ` (${item.weight})`),
            item.guide ? h('p', { class: 'guide' }, text(item.guide)) : null,
            h('div', { class: 'choices' }, choice('pass'), choice('fail'), item.allowNa ? choice('na') : null),
            h('label', {}, h('span', { class: 'sr-only' }, t('qa.itemComment', { item: text(item.text) })), h('input', { type: 'text', name: `c-${item.id}`, maxlength: 1000, placeholder: t('qa.commentPlaceholder'), value: before?.comment ?? '' })),
          ),
        );
      }
    }
    $('#qa-score-form [name=comment]').value = '';
    $('#qa-transcript-heading').focus?.();
  }

  async submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const answers = this.checklist.groups.flatMap((g) =>
      g.items.map((item) => ({ itemId: item.id, result: form.get(`r-${item.id}`), ...(form.get(`c-${item.id}`) && { comment: form.get(`c-${item.id}`) }) })),
    );
    try {
      const { review } = await post(`/qa/reviews/${encodeURIComponent(this.current.id)}/score`, { answers, comment: form.get('comment') || undefined });
      const s = review.scorings.at(-1);
      toast(t('qa.saved', { score: fixed(s.score) }));
      $('#qa-review').hidden = true;
      this.current = null;
      await this.loadQueue();
      await this.loadReport();
    } catch (err) {
      // Field errors name answers by position, which is the checklist's order: show the items.
      const items = this.checklist.groups.flatMap((g) => g.items);
      const named = (err.body?.error?.fields ?? []).map((f) => /^answers\[(\d+)\]/.exec(f.field)).filter(Boolean).map((m) => text(items[Number(m[1])]?.text));
      $('#qa-error').textContent = named.length ? t('qa.fixAnswers', { items: named.join(', ') }) : err.message;
    }
  }

  async sample(event) {
    event.preventDefault();
    const day = new FormData(event.target).get('day');
    try {
      const outcome = await post('/qa/sample', { day });
      toast(outcome.ran ? t('qa.sampled', { day, count: outcome.queued }) : t('qa.sampledBefore', { day }));
      await this.loadQueue();
    } catch (err) {
      toast(err.message);
    }
  }

  async loadReport() {
    const q = new URLSearchParams({ from: $('#qa-from').value, to: $('#qa-to').value, period: $('#qa-period').value });
    $('#qa-csv').href = `${BASE}/qa/report.csv?${q}`;
    let r;
    try {
      r = await get(`/qa/report?${q}`);
    } catch (err) {
      toast(err.message);
      return;
    }
    const rows = clear($('#qa-report-counselors'));
    if (!r.byCounselor.length) rows.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, t('qa.noReport'))));
    for (const c of r.byCounselor) {
      rows.append(h('tr', { 'data-testid': 'qa-report-row' }, h('td', {}, c.name), h('td', {}, c.reviews), h('td', {}, fixed(c.avgScore)), h('td', {}, c.criticalFails), h('td', {}, fixed(c.csat.kindness)), h('td', {}, fixed(c.csat.professionalism)), h('td', {}, fixed(c.csat.promptness))));
    }
    clear($('#qa-report-items')).append(
      ...r.byItem.map((i) => h('tr', {}, h('td', {}, text(i.text)), h('td', {}, i.pass), h('td', {}, i.fail), h('td', {}, i.passRate === null ? '-' : `${i.passRate}%`))),
    );
  }
}
