/**
 * Draws the conversation into the static markup of index.html and wires its controls. Messages
 * are kept once per id and ordered by (conversation, seq); messages not yet stored sit at the end.
 */
import { t } from './webchat-i18n.js';
import { localizedText, renderMessage, setMessageState } from './webchat-message-view.js';

const STATUS_KEYS = { connecting: 'statusConnecting', online: 'statusOnline', offline: 'statusOffline' };

/**
 * @param {Document} doc
 * @param {object} o
 * @param {string} o.lang  'ko' | 'en'
 * @param {boolean} o.embedded  shown inside embed.js's frame (adds a close button)
 * @param {(text: string) => void} o.onSend
 * @param {(reply: {label: string, payload: string}) => void} o.onQuickReply
 * @param {() => void} o.onToggleLanguage
 * @param {() => void} o.onClose
 */
export function createView(doc, { lang, embedded, onSend, onQuickReply, onToggleLanguage, onClose }) {
  const $ = (id) => doc.getElementById(id);
  const log = $('log');
  const chips = $('quick-replies');
  const chipList = $('quick-reply-list');
  const form = $('composer');
  const input = $('input');
  const statusBox = $('status');
  const statusText = $('status-text');
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  let current = lang;
  let chipsFor;
  const byId = new Map();

  // ---- static strings -------------------------------------------------------------------------

  /** Fills every [data-i18n] text and [data-i18n-attr="attr:key,..."] attribute. */
  function applyStrings(root = doc) {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(current, el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of el.dataset.i18nAttr.split(',')) {
        const [attr, key] = pair.split(':');
        el.setAttribute(attr.trim(), t(current, key.trim()));
      }
    }
  }

  function setLanguage(next) {
    current = next;
    doc.documentElement.lang = next;
    doc.title = t(next, 'title');
    // The toggle names the other language in that language, so it is read in the right voice.
    $('lang').lang = next === 'ko' ? 'en' : 'ko';
    applyStrings();
  }

  // ---- messages -------------------------------------------------------------------------------

  const keyOf = (li) => [Number(li.dataset.epoch), Number(li.dataset.seq)];
  const after = (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

  /** Where a stored message goes: before the first later one, or before the unsent ones. */
  function placeFor(key, self) {
    for (const li of log.children) {
      if (li === self || li.classList.contains('msg--notice')) continue;
      if (!li.dataset.id || after(keyOf(li), key)) return li;
    }
    return null;
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToEnd() {
    log.scrollTo({ top: log.scrollHeight, behavior: reducedMotion.matches ? 'auto' : 'smooth' });
  }

  function pendingItem(clientMessageId) {
    return log.querySelector(`li[data-client-id="${window.CSS.escape(clientMessageId)}"]:not([data-id])`);
  }

  /** Adds a stored message (ignored when already shown); an unsent copy of it becomes it. */
  function upsert(m, epoch) {
    if (byId.has(m.id)) return;
    const stick = nearBottom();
    let li = m.clientMessageId ? pendingItem(m.clientMessageId) : null;
    li ??= doc.createElement('li');
    li.dataset.id = m.id;
    li.dataset.seq = String(m.seq);
    li.dataset.epoch = String(epoch);
    li.dataset.author = m.author;
    if (m.clientMessageId) li.dataset.clientId = m.clientMessageId;
    li.className = `msg msg--${m.author}`;
    renderMessage(doc, current, li, m, m.createdAt);
    if (m.author === 'resident') setMessageState(li, current, 'sent');
    byId.set(m.id, { li, quickReplies: m.quickReplies });
    const place = placeFor(keyOf(li), li);
    // Moving a node re-announces it in the live region, so only move what is out of place.
    if (li.parentNode !== log || li.nextElementSibling !== place) log.insertBefore(li, place);
    refreshQuickReplies();
    if (stick || m.author === 'resident') scrollToEnd();
  }

  /** Shows a message the resident just wrote, before the server has it. */
  function addPending(item, state) {
    const li = doc.createElement('li');
    li.className = 'msg msg--resident';
    li.dataset.author = 'resident';
    li.dataset.clientId = item.clientMessageId;
    renderMessage(doc, current, li, { author: 'resident', text: item.text }, item.createdAt);
    setMessageState(li, current, state);
    log.append(li);
    refreshQuickReplies();
    scrollToEnd();
  }

  function setPendingState(clientMessageId, state) {
    const li = pendingItem(clientMessageId);
    if (li) setMessageState(li, current, state);
  }

  /** Moves every unsent message to `state` (e.g. waiting while offline). */
  function setAllPending(state) {
    for (const li of log.querySelectorAll('li.msg--pending')) setMessageState(li, current, state);
  }

  /** A centred notice in the log (e.g. a new session); `key` is a UI string. */
  function notice(key) {
    const li = doc.createElement('li');
    li.className = 'msg msg--notice';
    li.append(localizedText(doc, current, key));
    log.insertBefore(li, log.querySelector(':scope > li:not([data-id]):not(.msg--notice)'));
    refreshQuickReplies();
    scrollToEnd();
  }

  // ---- quick replies --------------------------------------------------------------------------

  /** Offers the last message's quick replies while nothing came after it. */
  function refreshQuickReplies() {
    const last = [...log.children].reverse().find((li) => !li.classList.contains('msg--notice'));
    const entry =
      last?.dataset.id && last.dataset.author !== 'resident' ? byId.get(last.dataset.id) : undefined;
    const offer = entry?.quickReplies?.length ? last.dataset.id : undefined;
    if (offer === chipsFor) return;
    chipsFor = offer;
    const focusWasHere = chips.contains(doc.activeElement);
    chipList.replaceChildren(
      ...(offer ? entry.quickReplies : []).map((reply) => {
        const button = doc.createElement('button');
        button.type = 'button';
        button.className = 'chip';
        button.textContent = reply.label;
        button.addEventListener('click', () => {
          onQuickReply(reply);
          input.focus();
        });
        return button;
      }),
    );
    chips.hidden = !offer;
    // Never leave keyboard focus on a removed button (it would fall back to the page start).
    if (focusWasHere && !chips.contains(doc.activeElement)) input.focus();
  }

  // ---- status and controls --------------------------------------------------------------------

  function setStatus(status) {
    statusBox.dataset.state = status;
    statusText.dataset.i18n = STATUS_KEYS[status];
    statusText.textContent = t(current, STATUS_KEYS[status]);
  }

  function submit() {
    const value = input.value.trim();
    if (!value) return;
    onSend(value);
    input.value = '';
    autosize();
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter is a new line; Enter that ends a Hangul/IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', autosize);
  $('lang').addEventListener('click', onToggleLanguage);
  $('close').hidden = !embedded;
  $('close').addEventListener('click', onClose);
  if (embedded) {
    doc.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') onClose();
    });
  }

  setLanguage(lang);
  setStatus('connecting');

  return {
    setLanguage,
    setStatus,
    upsert,
    addPending,
    setPendingState,
    setAllPending,
    notice,
    /** Marks the log busy while history loads, so screen readers do not read it all out. */
    setBusy(busy) {
      log.setAttribute('aria-busy', String(busy));
    },
    /** Puts text back in the input (a message the server refused), unless the resident typed anew. */
    restoreInput(value) {
      if (!input.value.trim()) {
        input.value = value;
        autosize();
      }
    },
    focusInput() {
      input.focus();
    },
  };
}
