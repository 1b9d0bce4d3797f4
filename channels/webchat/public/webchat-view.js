/**
 * Draws the conversation into the static markup of index.html and wires its controls. Messages
 * are kept once per id and ordered by (conversation, seq); messages not yet stored sit at the end.
 *
 * Scrolling: the log follows new messages while the resident is at the bottom (decided by their
 * own scrolling, not by where an animation happens to be), so a turn that adds several messages,
 * a late-loading photo or quick replies never leaves the last message below the fold. Scrolled up
 * to read back, they get a "new messages" pill instead of being yanked down.
 */
import { LANGUAGES, t } from './webchat-i18n.js';
import { appendLinkedText, localizedText, renderMessage, setMessageState } from './webchat-message-view.js';

const STATUS_KEYS = { connecting: 'status.connecting', online: 'status.online', offline: 'status.offline' };
const BOTTOM_SLACK_PX = 48;
const TYPING_TIMEOUT_MS = { bot: 12_000, counselor: 7_000 };

/**
 * @param {Document} doc
 * @param {object} o
 * @param {string} o.lang  one of LANGUAGES
 * @param {boolean} o.embedded  shown inside embed.js's frame (adds a close button)
 * @param {(text: string) => void} o.onSend
 * @param {(reply: {label: string, payload: string}) => void} o.onQuickReply
 * @param {(lang: string) => void} o.onLanguage
 * @param {() => void} o.onClose
 * @param {() => void} o.onCounselor
 * @param {(file: File) => void} o.onPhoto
 * @param {() => void} o.onLocation
 * @param {(clientMessageId: string) => void} o.onRetry  a failed photo upload, tried again
 * @param {() => void} o.onTyping  the resident typed in the input
 * @param {(message: object, live: boolean) => void} o.onShown  a stored message from someone else was added
 * @param {(url: string) => Promise<string|undefined>} o.loadImage
 */
export function createView(doc, o) {
  const { embedded, onSend, onQuickReply, onLanguage, onClose, onCounselor, onPhoto, onLocation, onRetry, onTyping, onShown, loadImage } = o;
  const $ = (id) => doc.getElementById(id);
  const scroller = $('log-scroll');
  const log = $('log');
  const chips = $('quick-replies');
  const chipList = $('quick-reply-list');
  const form = $('composer');
  const input = $('input');
  const statusBox = $('status');
  const statusText = $('status-text');
  const pill = $('new-messages');
  const typing = $('typing');
  const typingText = $('typing-text');
  const photoInput = $('photo-input');
  let current = o.lang;
  let chipsFor;
  let follow = true;
  let unseen = 0;
  let typingTimer;
  const byId = new Map();

  // ---- static strings -------------------------------------------------------------------------

  /** Fills every [data-i18n] text and [data-i18n-attr="attr:key,..."] attribute. */
  function applyStrings(root = doc) {
    for (const el of root.querySelectorAll('[data-i18n]')) {
      const values = el.dataset.i18nValues ? JSON.parse(el.dataset.i18nValues) : undefined;
      el.textContent = t(current, el.dataset.i18n, values);
    }
    for (const el of root.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of el.dataset.i18nAttr.split(',')) {
        const [attr, key] = pair.split(':');
        el.setAttribute(attr.trim(), t(current, key.trim()));
      }
    }
    const intro = $('intro-text');
    intro.replaceChildren();
    appendLinkedText(doc, intro, t(current, 'intro.text'));
  }

  function setLanguage(next) {
    current = LANGUAGES.includes(next) ? next : 'ko';
    doc.documentElement.lang = current;
    doc.title = t(current, 'header.title');
    $('lang').value = current;
    applyStrings();
    if (unseen) showPill();
  }

  // ---- scrolling ------------------------------------------------------------------------------

  const distanceFromBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;

  function scrollToEnd() {
    // Instant, so a second message arriving mid-animation still sees the log at its bottom.
    scroller.scrollTop = scroller.scrollHeight;
    follow = true;
    unseen = 0;
    pill.hidden = true;
  }

  function showPill() {
    pill.dataset.i18n = 'log.newMessages';
    pill.dataset.i18nValues = JSON.stringify({ count: unseen });
    pill.textContent = t(current, 'log.newMessages', { count: unseen });
    pill.hidden = false;
  }

  /** After content was added: keep following, or count what arrived out of sight. */
  function afterAdd(count, forceFollow) {
    if (forceFollow || follow) {
      scrollToEnd();
      return;
    }
    unseen += count;
    if (unseen) showPill();
  }

  scroller.addEventListener('scroll', () => {
    follow = distanceFromBottom() <= BOTTOM_SLACK_PX;
    if (follow) {
      unseen = 0;
      pill.hidden = true;
    }
  });
  // Photos loading, quick replies appearing, the keyboard opening, zoom: the box or its content
  // changes size without a message being added. Stay at the bottom if that is where we were.
  const resized = new ResizeObserver(() => {
    if (follow) scroller.scrollTop = scroller.scrollHeight;
  });
  resized.observe(scroller);
  resized.observe(log);
  pill.addEventListener('click', () => {
    scrollToEnd();
    input.focus();
  });

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

  function pendingItem(clientMessageId) {
    return log.querySelector(`li[data-client-id="${window.CSS.escape(clientMessageId)}"]:not([data-id])`);
  }

  /**
   * Adds a stored message (ignored when already shown); an unsent copy of it becomes it.
   * `live` is false while history loads.
   */
  function upsert(m, epoch, live = true) {
    if (byId.has(m.id)) return;
    let li = m.clientMessageId ? pendingItem(m.clientMessageId) : null;
    const wasPending = Boolean(li);
    li ??= doc.createElement('li');
    li.dataset.id = m.id;
    li.dataset.seq = String(m.seq);
    li.dataset.epoch = String(epoch);
    li.dataset.author = m.author;
    if (m.clientMessageId) li.dataset.clientId = m.clientMessageId;
    li.className = `msg msg--${m.author}`;
    // Keep the preview of a photo just uploaded until the stored copy has loaded.
    const preview = wasPending ? li.querySelector('.msg__photo img')?.src : undefined;
    const shown = preview && m.images?.length ? { ...m, images: m.images.map((i, n) => (n === 0 ? { ...i, preview } : i)) } : m;
    renderMessage(doc, current, li, shown, m.createdAt, loadImage);
    if (m.author === 'resident') setMessageState(li, current, 'sent');
    byId.set(m.id, { li, quickReplies: m.quickReplies });
    const place = placeFor(keyOf(li), li);
    // Moving a node re-announces it in the live region, so only move what is out of place.
    if (li.parentNode !== log || li.nextElementSibling !== place) log.insertBefore(li, place);
    if (m.author !== 'resident') {
      hideTyping();
      markAnswered(epoch, m.seq);
      onShown(m, live);
    }
    refreshQuickReplies();
    afterAdd(m.author === 'resident' || wasPending ? 0 : 1, m.author === 'resident' && live);
  }

  /** A reply came after the resident's messages: they have been read. */
  function markAnswered(epoch, seq) {
    markRead(epoch, seq - 1);
  }

  /** Marks the resident's stored messages up to `seq` (in conversation `epoch`) as read. */
  function markRead(epoch, seq) {
    for (const li of log.querySelectorAll('li.msg--resident[data-id]')) {
      const [e, s] = keyOf(li);
      if ((e < epoch || (e === epoch && s <= seq)) && li.dataset.state === 'sent') setMessageState(li, current, 'read');
    }
  }

  /** Shows a message the resident just wrote, before the server has it. */
  function addPending(item, state) {
    const li = doc.createElement('li');
    li.className = 'msg msg--resident';
    li.dataset.author = 'resident';
    li.dataset.clientId = item.clientMessageId;
    const images = item.photo ? [{ url: '', preview: item.photo.preview }] : undefined;
    renderMessage(doc, current, li, { author: 'resident', text: item.text, location: item.location, images }, item.createdAt, loadImage);
    setMessageState(li, current, state);
    log.append(li);
    refreshQuickReplies();
    afterAdd(0, true);
    return li;
  }

  function setPendingState(clientMessageId, state, values) {
    const li = pendingItem(clientMessageId);
    if (!li) return;
    setMessageState(li, current, state, values);
    if (state === 'uploading') li.querySelector('.msg__state').dataset.i18nValues = JSON.stringify(values);
    let retry = li.querySelector('.msg__retry');
    if (state === 'failed' && li.dataset.photo === 'true' && !retry) {
      retry = doc.createElement('button');
      retry.type = 'button';
      retry.className = 'msg__retry';
      retry.dataset.i18n = 'photo.retry';
      retry.textContent = t(current, 'photo.retry');
      retry.addEventListener('click', () => {
        retry.remove();
        onRetry(clientMessageId);
      });
      li.querySelector('.msg__meta').append(' ', retry);
    }
  }

  /** Moves every unsent message to `state` (e.g. waiting while offline). */
  function setAllPending(state) {
    for (const li of log.querySelectorAll('li.msg--pending:not([data-photo="true"])')) setMessageState(li, current, state);
  }

  /** A centred notice in the log (e.g. a new session); `key` is a UI string. */
  function notice(key) {
    const li = doc.createElement('li');
    li.className = 'msg msg--notice';
    li.append(localizedText(doc, current, key));
    log.insertBefore(li, log.querySelector(':scope > li:not([data-id]):not(.msg--notice)'));
    refreshQuickReplies();
    afterAdd(1, false);
  }

  // ---- typing ---------------------------------------------------------------------------------

  /** Shows "… is writing" for the bot or a counselor; hides itself if nothing follows. */
  function showTyping(who) {
    typingText.dataset.i18n = `typing.${who}`;
    typingText.textContent = t(current, `typing.${who}`);
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS[who] ?? 8_000);
    if (follow) scroller.scrollTop = scroller.scrollHeight;
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    typing.hidden = true;
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
  input.addEventListener('input', () => {
    autosize();
    onTyping();
  });
  $('lang').addEventListener('change', (event) => onLanguage(event.target.value));
  $('counselor').addEventListener('click', () => {
    onCounselor();
    input.focus();
  });
  $('attach').addEventListener('click', () => photoInput.click());
  photoInput.addEventListener('change', () => {
    const file = photoInput.files?.[0];
    photoInput.value = '';
    if (file) onPhoto(file);
  });
  $('location').addEventListener('click', onLocation);
  $('close').hidden = !embedded;
  $('close').addEventListener('click', onClose);
  if (embedded) {
    doc.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') onClose();
    });
  }

  setLanguage(current);
  setStatus('connecting');

  return {
    setLanguage,
    setStatus,
    upsert,
    addPending,
    setPendingState,
    setAllPending,
    notice,
    showTyping,
    hideTyping,
    markRead,
    /** Marks a pending item as a photo upload (it gets a retry button when it fails). */
    markPhoto(clientMessageId) {
      const li = pendingItem(clientMessageId);
      if (li) li.dataset.photo = 'true';
    },
    /** Whether the newest messages are on screen (the resident is following the log). */
    get following() {
      return follow;
    },
    /** Marks the log busy while history loads, so screen readers do not read it all out. */
    setBusy(busy) {
      scroller.setAttribute('aria-busy', String(busy));
      if (!busy) scrollToEnd();
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
