/**
 * Builds the DOM of one chat message: author, content (text, images, location, links), time and,
 * for the resident's own messages, the delivery state. Text always goes in as text nodes, never
 * as HTML, and only http(s) links become clickable. Localized parts carry data-i18n, so a
 * language switch re-labels them in place.
 */
import { t } from './webchat-i18n.js';

const AUTHOR_KEYS = {
  bot: 'authorBot',
  counselor: 'authorCounselor',
  system: 'authorSystem',
  resident: 'authorResident',
};
const STATE_KEYS = {
  sending: 'stateSending',
  waiting: 'stateWaiting',
  sent: 'stateSent',
  failed: 'stateFailed',
};
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'）)\]]+/g;
// 24-hour hh:mm reads the same in Korean and English.
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

/** A span showing UI string `key` in `lang`, re-labelled on language switches. */
export function localizedText(doc, lang, key) {
  const span = doc.createElement('span');
  span.dataset.i18n = key;
  span.textContent = t(lang, key);
  return span;
}

function link(doc, href, label) {
  if (!/^https?:\/\//i.test(href)) return doc.createTextNode(label);
  const a = doc.createElement('a');
  a.href = href;
  a.textContent = label;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function appendText(doc, parent, value) {
  let last = 0;
  for (const match of value.matchAll(URL_IN_TEXT)) {
    parent.append(value.slice(last, match.index), link(doc, match[0], match[0]));
    last = match.index + match[0].length;
  }
  parent.append(value.slice(last));
}

function bubble(doc, lang, m) {
  const div = doc.createElement('div');
  div.className = 'msg__bubble';
  if (m.text) appendText(doc, div, m.text);
  for (const image of m.images ?? []) {
    if (!/^(https?:|data:image\/)/i.test(image.url)) continue;
    const img = doc.createElement('img');
    img.src = image.url;
    img.loading = 'lazy';
    img.alt = image.caption ?? t(lang, 'image');
    div.append(img);
  }
  if (m.location) {
    const p = doc.createElement('p');
    p.className = 'msg__location';
    const where = m.location.address ?? `${m.location.latitude}, ${m.location.longitude}`;
    p.append(localizedText(doc, lang, 'location'), `: ${where}`);
    div.append(p);
  }
  if (m.links?.length) {
    const ul = doc.createElement('ul');
    ul.className = 'msg__links';
    for (const l of m.links) {
      const li = doc.createElement('li');
      li.append(link(doc, l.url, l.title));
      ul.append(li);
    }
    div.append(ul);
  }
  return div;
}

/** Fills `li` with message `m` (an app API message view, or an unsent {author, text}). */
export function renderMessage(doc, lang, li, m, createdAt) {
  const author = localizedText(doc, lang, AUTHOR_KEYS[m.author] ?? 'authorSystem');
  // The resident's own name is for screen readers only; sighted users see the alignment.
  author.className = m.author === 'resident' ? 'msg__author sr-only' : 'msg__author';
  const meta = doc.createElement('p');
  meta.className = 'msg__meta';
  const time = doc.createElement('time');
  time.dateTime = createdAt;
  time.textContent = TIME.format(new Date(createdAt));
  meta.append(time);
  if (m.author === 'resident') {
    const state = doc.createElement('span');
    state.className = 'msg__state';
    meta.append(' · ', state);
  }
  li.replaceChildren(author, bubble(doc, lang, m), meta);
}

/** Shows the delivery state of the resident's message: sending, waiting (offline), sent or failed. */
export function setMessageState(li, lang, state) {
  li.dataset.state = state;
  li.classList.toggle('msg--pending', state === 'sending' || state === 'waiting');
  li.classList.toggle('msg--failed', state === 'failed');
  const el = li.querySelector('.msg__state');
  if (el) {
    el.dataset.i18n = STATE_KEYS[state];
    el.textContent = t(lang, STATE_KEYS[state]);
  }
}
