/**
 * Builds the DOM of one chat message: author, content (text, images, location, links), time and,
 * for the resident's own messages, the delivery state. Text always goes in as text nodes, never
 * as HTML; only http(s) links and phone numbers become clickable (tel: links, so 109/112/119/120
 * are one tap away on a phone). Each bubble carries the `lang` of its text, so screen readers use
 * the right voice. Localized parts carry data-i18n, so a language switch re-labels them in place.
 */
import { guessLanguage, t } from './webchat-i18n.js';

const AUTHOR_KEYS = {
  bot: 'author.bot',
  counselor: 'author.counselor',
  system: 'author.system',
  resident: 'author.resident',
};
const STATE_KEYS = {
  sending: 'state.sending',
  waiting: 'state.waiting',
  sent: 'state.sent',
  read: 'state.read',
  failed: 'state.failed',
};
const URL_PATTERN = String.raw`\bhttps?:\/\/[^\s<>"'）)\]]+`;
// Korean hotlines (109 suicide prevention, 112 police, 119 fire/ambulance, 120 civil service...),
// 15xx/16xx/18xx call centers, and area-code or mobile numbers; never part of a longer number.
const PHONE_PATTERN = String.raw`(?<![\d-])(?:1(?:0[9]|1[0249]|2[0-9]|3[0-2]|82)|1[5-9]\d{2}-\d{4}|0\d{1,2}-\d{3,4}-\d{4})(?![\d-])`;
const LINKABLE = new RegExp(`(${URL_PATTERN})|(${PHONE_PATTERN})`, 'g');
// 24-hour hh:mm reads the same in every UI language.
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const FULL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A span showing UI string `key` in `lang`, re-labelled on language switches. */
export function localizedText(doc, lang, key) {
  const span = doc.createElement('span');
  span.dataset.i18n = key;
  span.textContent = t(lang, key);
  return span;
}

function link(doc, href, label) {
  if (!/^(https?:|tel:)/i.test(href)) return doc.createTextNode(label);
  const a = doc.createElement('a');
  a.href = href;
  a.textContent = label;
  if (!href.startsWith('tel:')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  return a;
}

/** Appends `value` to `parent` as text, with URLs and phone numbers as links. */
export function appendLinkedText(doc, parent, value) {
  let last = 0;
  for (const match of value.matchAll(LINKABLE)) {
    const [found, url] = match;
    const href = url ? found : `tel:${found.replace(/-/g, '')}`;
    parent.append(value.slice(last, match.index), link(doc, href, found));
    last = match.index + found.length;
  }
  parent.append(value.slice(last));
}

/**
 * @param {(url: string) => Promise<string|undefined>} loadImage  resolves a stored-photo reference
 *   (`media:<id>`) to a displayable URL; http(s) and data: URLs are shown as they are.
 */
function bubble(doc, lang, m, loadImage) {
  const div = doc.createElement('div');
  div.className = 'msg__bubble';
  const textLang = m.language ?? (m.text ? guessLanguage(m.text, lang) : lang);
  div.lang = textLang;
  if (m.text && !(m.images?.length && m.images[0].caption === m.text)) appendLinkedText(doc, div, m.text);
  for (const image of m.images ?? []) {
    const figure = doc.createElement('figure');
    figure.className = 'msg__photo';
    const img = doc.createElement('img');
    img.alt = image.caption ?? t(lang, 'message.photo');
    img.decoding = 'async';
    if (/^(https?:|data:image\/)/i.test(image.url)) img.src = image.url;
    else if (image.preview) img.src = image.preview;
    if (/^media:/.test(image.url) && loadImage) {
      loadImage(image.url).then((src) => {
        if (src) img.src = src;
      });
    }
    figure.append(img);
    if (image.caption) {
      const caption = doc.createElement('figcaption');
      appendLinkedText(doc, caption, image.caption);
      figure.append(caption);
    }
    div.append(figure);
  }
  if (m.location) {
    const p = doc.createElement('p');
    p.className = 'msg__location';
    const { latitude, longitude, address } = m.location;
    const where = address ?? `${Number(latitude).toFixed(5)}, ${Number(longitude).toFixed(5)}`;
    p.append(localizedText(doc, lang, 'message.location'), `: ${where} `);
    const map = link(doc, `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`, t(lang, 'message.mapLink'));
    if (map.dataset) map.dataset.i18n = 'message.mapLink';
    p.append(map);
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

/** Fills `li` with message `m` (an app API message view, or an unsent {author, text, images?, location?}). */
export function renderMessage(doc, lang, li, m, createdAt, loadImage) {
  const author = localizedText(doc, lang, AUTHOR_KEYS[m.author] ?? 'author.system');
  // The resident's own name is for screen readers only; sighted users see the alignment.
  author.className = m.author === 'resident' ? 'msg__author sr-only' : 'msg__author';
  const meta = doc.createElement('p');
  meta.className = 'msg__meta';
  const time = doc.createElement('time');
  time.dateTime = createdAt;
  time.textContent = TIME.format(new Date(createdAt));
  time.title = FULL_TIME.format(new Date(createdAt));
  meta.append(time);
  if (m.author === 'resident') {
    const state = doc.createElement('span');
    state.className = 'msg__state';
    meta.append(' · ', state);
  }
  li.replaceChildren(author, bubble(doc, lang, m, loadImage), meta);
}

/** Shows the delivery state of the resident's message: sending, waiting (offline), sent, read or failed. */
export function setMessageState(li, lang, state, values) {
  li.dataset.state = state;
  li.classList.toggle('msg--pending', state === 'sending' || state === 'waiting' || state === 'uploading');
  li.classList.toggle('msg--failed', state === 'failed');
  const el = li.querySelector('.msg__state');
  if (el) {
    const key = state === 'uploading' ? 'state.uploading' : STATE_KEYS[state];
    el.dataset.i18n = key;
    el.textContent = t(lang, key, values);
  }
}
