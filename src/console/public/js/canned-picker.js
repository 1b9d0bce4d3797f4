// The composer's "/" canned-answer search: type "/" at the start of the reply, then words; pick
// with the arrow keys and Enter (or a click). Personal, team and knowledge-base answers, matched by
// every word.
import { get } from './api.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';

export class CannedPicker {
  constructor({ textarea, list, language }) {
    this.textarea = textarea;
    this.list = list;
    this.language = language;
    this.items = [];
    this.active = -1;
    this.seq = 0;
    textarea.addEventListener('input', () => this.update());
    textarea.addEventListener('keydown', (e) => this.key(e));
    textarea.addEventListener('blur', () => setTimeout(() => this.hide(), 150));
  }

  get open() {
    return !this.list.hidden;
  }

  /** The words after a leading "/", or undefined when the reply does not start with one. */
  query() {
    const m = /^\/(.*)$/s.exec(this.textarea.value);
    return m ? m[1].trim() : undefined;
  }

  async update() {
    const q = this.query();
    if (q === undefined) return this.hide();
    const seq = ++this.seq;
    try {
      const { items } = await get(`/canned-answers?lang=${encodeURIComponent(this.language())}&q=${encodeURIComponent(q)}`);
      if (seq !== this.seq) return; // a newer keystroke answered first
      this.items = items;
      this.active = items.length ? 0 : -1;
      this.render();
    } catch {
      this.hide();
    }
  }

  render() {
    const list = clear(this.list);
    this.list.hidden = false;
    if (!this.items.length) list.append(h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true' }, t('composer.noCanned')));
    this.items.forEach((item, i) => {
      const source = item.source === 'personal' ? t('canned.personal') : item.source === 'team' ? t('canned.team') : t('canned.faq');
      list.append(
        h(
          'li',
          { id: `canned-${i}`, role: 'option', 'aria-selected': String(i === this.active), 'data-testid': 'canned-item', onmousedown: (e) => (e.preventDefault(), this.choose(i)) },
          h('strong', {}, item.title),
          h('span', { class: 'src' }, source),
          h('br'),
          item.text.length > 140 ? `${item.text.slice(0, 140)}…` : item.text,
        ),
      );
    });
    if (this.active >= 0) this.textarea.setAttribute('aria-activedescendant', `canned-${this.active}`);
    else this.textarea.removeAttribute('aria-activedescendant');
  }

  key(e) {
    if (!this.open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.items.length;
      if (!n) return;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.render();
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && this.active >= 0) {
      e.preventDefault();
      this.choose(this.active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.hide();
    }
  }

  choose(i) {
    const item = this.items[i];
    if (!item) return;
    this.textarea.value = item.text;
    this.hide();
    this.textarea.focus();
    this.textarea.dispatchEvent(new Event('input'));
  }

  hide() {
    this.list.hidden = true;
    this.textarea.removeAttribute('aria-activedescendant');
  }
}
