// Small DOM helpers. Everything from the server goes in as text, never as HTML.
import { currentLanguage, t } from './i18n.js';

/** Creates an element: h('li', {class: 'x', dataset: {id: 1}, onclick}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (selector) => document.querySelector(selector);

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** "3분 12초" style duration from milliseconds. */
export function duration(ms) {
  if (ms === null || ms === undefined) return '-';
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return t('time.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.minutes', { m, s: s % 60 });
  return t('time.hours', { h: Math.floor(m / 60), m: m % 60 });
}

export function time(iso) {
  return new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso) {
  return new Date(iso).toLocaleString(locale(), { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'ko-KR');

/** Shows a short message in the corner. */
export function toast(text, kind = '', action) {
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, text, action ? [' ', h('button', { class: 'small secondary', onclick: () => (el.remove(), action.run()) }, action.label)] : null);
  $('#toasts').append(el);
  setTimeout(() => el.remove(), kind === 'crisis' ? 15000 : 5000);
}

/** Asks for confirmation in the page's own dialog; resolves true for OK. */
export function confirmDialog(text) {
  const dialog = $('#confirm-dialog');
  $('#confirm-text').textContent = text;
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** Labels of coded values in the console's language (see i18n.js). */
export { label } from './i18n.js';
