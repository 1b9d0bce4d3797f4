// Alerts for a 24/7 floor: a sound, a desktop notification (once the counselor allows it) and a
// count in the tab title, for new chats in the queue and, louder, for crisis chats.
import { t } from './i18n.js';

const BASE_TITLE = document.title;
let audio;

/** A short beep through WebAudio (no sound file to load); two higher beeps for a crisis. */
function beep(crisis) {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (let i = 0; i < (crisis ? 2 : 1); i++) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = crisis ? 1046 : 784;
      gain.gain.setValueAtTime(0.15, now + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.25 + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.25);
      osc.stop(now + i * 0.25 + 0.2);
    }
  } catch {
    // No audio device (or autoplay blocked until the first click): the other signals remain.
  }
}

export class Notifier {
  constructor({ onOpen }) {
    this.onOpen = onOpen;
    this.known = null; // conversation ids seen in the queue; null until the first load
    this.button = document.getElementById('notify');
    this.button.addEventListener('click', () => this.enable());
    this.refreshButton();
  }

  get enabled() {
    return 'Notification' in window && Notification.permission === 'granted';
  }

  refreshButton() {
    const on = this.enabled;
    this.button.classList.toggle('on', on);
    this.button.dataset.i18n = on ? 'top.notifyOn' : 'top.notify';
    this.button.textContent = t(this.button.dataset.i18n);
    this.button.setAttribute('aria-pressed', String(on));
  }

  /** Asks the browser for permission (it must come from a click) and unlocks sound. */
  async enable() {
    beep(false);
    if (!('Notification' in window)) return;
    const result = await Notification.requestPermission();
    if (result === 'denied') this.onDenied?.();
    this.refreshButton();
  }

  /** Called with every fresh queue: signals the chats that were not there before. */
  queueChanged(items) {
    const crisisWaiting = items.some((i) => i.priority === 'crisis');
    document.title = items.length ? `(${items.length}${crisisWaiting ? '!' : ''}) ${BASE_TITLE}` : BASE_TITLE;
    const ids = new Set(items.map((i) => i.conversationId));
    const first = this.known === null;
    const fresh = first ? [] : items.filter((i) => !this.known.has(i.conversationId));
    this.known = ids;
    if (!fresh.length) return;
    const crisis = fresh.find((i) => i.priority === 'crisis');
    beep(Boolean(crisis));
    if (crisis) this.desktop(t('notify.crisis'), crisis.conversationId, true);
    else this.desktop(t('notify.newChat', { count: fresh.length }), fresh[0].conversationId, false);
  }

  /** A supervisor alert (crisis, SLA breach...). */
  alert(alert) {
    beep(alert.kind === 'crisis');
    this.desktop(t('notify.alert', { message: alert.message }), alert.conversationId, alert.kind === 'crisis');
  }

  desktop(text, conversationId, urgent) {
    if (!this.enabled) return;
    try {
      const n = new Notification(t('app.title'), { body: text, tag: conversationId ?? text, requireInteraction: urgent, data: { conversationId } });
      n.onclick = () => {
        window.focus();
        if (conversationId) this.onOpen(conversationId);
        n.close();
      };
    } catch {
      // Some browsers only allow notifications from a service worker; the title and sound remain.
    }
  }
}
