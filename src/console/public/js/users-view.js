// Admin: console accounts (create, disable, unlock).
import { get, patch, post } from './api.js';
import { $, clear, h, label } from './dom.js';
import { t } from './i18n.js';

const list = (value) => String(value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export class UsersView {
  constructor(state) {
    this.state = state;
    $('#user-form').addEventListener('submit', (e) => this.create(e));
  }

  onFrame() {}

  async refresh() {
    const { items } = await get('/users');
    clear($('#user-rows')).append(
      ...items.map((u) =>
        h(
          'tr',
          { 'data-testid': 'user-row' },
          h('td', {}, u.login),
          h('td', {}, u.displayName),
          h('td', {}, label('role', u.role)),
          h('td', {}, u.languages.join(', ')),
          h('td', {}, u.teams.join(', ')),
          h('td', {}, label('shift', u.shift)),
          h('td', {}, u.disabled ? t('users.disabled') : u.locked ? t('users.locked') : label('presence', u.presence)),
          h(
            'td',
            {},
            u.locked ? h('button', { class: 'small secondary', onclick: () => this.update(u.id, { unlock: true }) }, t('users.unlock')) : null,
            u.id === this.state.user.id ? null : h('button', { class: 'small secondary', onclick: () => this.update(u.id, { disabled: !u.disabled }) }, u.disabled ? t('users.enable') : t('users.disable')),
          ),
        ),
      ),
    );
  }

  async update(id, body) {
    await patch(`/users/${id}`, body);
    await this.refresh();
  }

  async create(event) {
    event.preventDefault();
    const f = new FormData(event.target);
    $('#user-error').textContent = '';
    try {
      await post('/users', {
        login: f.get('login'),
        password: f.get('password'),
        role: f.get('role'),
        languages: list(f.get('languages')),
        teams: list(f.get('teams')),
        ...(f.get('displayName') && { displayName: f.get('displayName') }),
        ...(f.get('shift') && { shift: f.get('shift') }),
        ...(f.get('maxConcurrent') && { maxConcurrent: Number(f.get('maxConcurrent')) }),
      });
      event.target.reset();
      await this.refresh();
    } catch (err) {
      $('#user-error').textContent = err.message + (err.body?.error?.fields ? ` (${err.body.error.fields.map((x) => x.field).join(', ')})` : '');
    }
  }
}
