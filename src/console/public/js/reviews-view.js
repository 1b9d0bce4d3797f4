// A counselor's own quality reviews: the score, each item's result and the reviewer's comments,
// and, while a review waits for them, acknowledge or dispute (a dispute needs a reason and goes
// back to the reviewers).
import { get, post } from './api.js';
import { $, clear, dateTime, h, toast } from './dom.js';
import { currentLanguage, label, t } from './i18n.js';

const text = (pair) => (pair ? pair[currentLanguage()] ?? pair.ko : '');

export class ReviewsView {
  constructor(state) {
    this.state = state;
    this.items = new Map();
    this.current = null;
    $('#review-ack').addEventListener('click', () => this.answer('acknowledge'));
    $('#review-dispute').addEventListener('click', () => this.answer('dispute'));
  }

  onFrame() {}

  async refresh() {
    this.checklist ??= await get('/qa/checklist');
    for (const group of this.checklist.groups) for (const item of group.items) this.items.set(item.id, item);
    const { items } = await get('/qa/mine');
    const list = clear($('#my-reviews'));
    if (!items.length) list.append(h('li', { class: 'muted' }, t('reviews.none')));
    for (const r of items) {
      const s = r.scorings.at(-1);
      list.append(
        h(
          'li',
          { class: this.current === r.id ? 'active' : '', 'data-testid': 'my-review-row' },
          h('button', { type: 'button', class: 'linkish', onclick: () => this.open(r.id) }, t('reviews.row', { day: r.day, score: s.score.toFixed(1), status: label('qaStatus', r.status) })),
          r.status === 'scored' ? h('span', { class: 'badge' }, t('reviews.waiting')) : null,
        ),
      );
    }
  }

  async open(id) {
    const { review } = await get(`/qa/reviews/${encodeURIComponent(id)}`);
    this.current = review.id;
    const s = review.scorings.at(-1);
    $('#my-review').hidden = false;
    $('#my-review-error').textContent = '';
    $('#my-review-heading').textContent = t('reviews.heading', { day: review.day, score: s.score.toFixed(1) });
    $('#my-review-meta').textContent = [
      t('reviews.meta', { reviewer: s.reviewerName, at: dateTime(s.scoredAt), status: label('qaStatus', review.status) }),
      s.criticalFailed ? t('reviews.criticalFailed', { raw: s.rawScore.toFixed(1) }) : '',
      s.comment ? `${t('qa.overall')}: ${s.comment}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    clear($('#my-review-items')).append(
      ...s.answers.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, text(this.items.get(a.itemId)?.text) || a.itemId),
          h('td', { class: a.result === 'fail' ? 'result-fail' : '' }, t(`qa.result.${a.result}`)),
          h('td', {}, a.comment ?? ''),
        ),
      ),
    );
    $('#my-review-answer').hidden = review.status !== 'scored';
    $('#my-review-answer [name=comment]').value = '';
    $('#my-review-heading').focus?.();
  }

  async answer(kind) {
    const comment = $('#my-review-answer [name=comment]').value.trim();
    try {
      await post(`/qa/reviews/${encodeURIComponent(this.current)}/${kind}`, comment ? { comment } : {});
      toast(t(kind === 'acknowledge' ? 'reviews.acknowledged' : 'reviews.disputedDone'));
      await this.open(this.current);
      await this.refresh();
    } catch (err) {
      $('#my-review-error').textContent = err.message;
    }
  }
}
