/*
 * Dajeong web chat for any site:
 *   <script src="https://<dajeong-host>/webchat/embed.js" data-lang="ko" async></script>
 * Adds a launcher button (bottom right) that opens the chat (/webchat/) in a frame. The markup
 * lives in a shadow root, so the host page's styles neither break it nor are touched by it.
 * Options (data- attributes on the script tag): data-lang="ko|en|zh|vi", data-label="button text".
 * Replies that arrive while the chat is closed show as a count on the launcher. Its texts come
 * from the widget's catalogue (/i18n/webchat/<lang>.json); the launcher appears once they are here.
 */
(() => {
  const script = document.currentScript;
  if (!script || document.getElementById('dajeong-webchat')) return;
  const widgetUrl = new URL('./', script.src);
  const widgetOrigin = widgetUrl.origin;
  const LANGUAGES = ['ko', 'en', 'zh', 'vi'];
  const wanted = (script.dataset.lang || navigator.language || 'ko').slice(0, 2).toLowerCase();
  // As the widget chooses: its language when it has it, else English for a foreign visitor.
  const lang = LANGUAGES.includes(wanted) ? wanted : 'en';
  let texts;
  const text = (key, values) => texts.format(lang, key, values);

  /** The catalogue's loader (an ES module, imported from this classic script); retried until it loads. */
  async function loadTexts() {
    for (let pause = 1000; ; pause = Math.min(pause * 2, 15_000)) {
      try {
        const { createUiTexts } = await import(new URL('../i18n/ui-texts.js', widgetUrl).href);
        texts = createUiTexts('webchat');
        return await texts.load(lang);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  const host = document.createElement('div');
  host.id = 'dajeong-webchat';
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `
    <style>
      :host { all: initial; }
      .launcher {
        position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
        display: inline-flex; align-items: center; gap: 8px; min-height: 48px; padding: 10px 18px;
        font: 700 16px/1.2 system-ui, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif;
        color: #ffffff; background: #0a4a8f; border: 2px solid #ffffff; border-radius: 999px;
        box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); cursor: pointer;
      }
      .launcher[hidden] { display: none; }
      .launcher:hover { background: #0d3a6e; }
      .launcher:focus-visible { outline: 3px solid #b45309; outline-offset: 3px; }
      .launcher svg { width: 22px; height: 22px; fill: currentColor; }
      .badge {
        position: absolute; top: -8px; right: -6px; min-width: 24px; height: 24px; padding: 0 6px;
        display: inline-grid; place-items: center; border-radius: 999px; border: 2px solid #ffffff;
        font: 700 13px/1 system-ui, sans-serif; color: #ffffff; background: #a4231a;
      }
      .badge[hidden] { display: none; }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      .panel {
        position: fixed; right: 20px; bottom: 84px; z-index: 2147483000;
        width: min(400px, calc(100vw - 40px)); height: min(640px, calc(100vh - 110px));
        border: 1px solid #5f6b76; border-radius: 14px; overflow: hidden; background: #ffffff;
        box-shadow: 0 10px 30px rgba(0, 0, 0, 0.3);
      }
      .panel[hidden] { display: none; }
      iframe { display: block; width: 100%; height: 100%; border: 0; }
      @media (max-width: 480px) {
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
      .panel { inset: 0; width: 100vw; height: 100vh; border-radius: 0; border: 0; }
      }
    </style>
    <button class="launcher" type="button" aria-expanded="false" aria-controls="dajeong-panel" hidden>
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>
      <span class="label"></span>
      <span class="badge" hidden><span class="count" aria-hidden="true"></span><span class="sr"></span></span>
    </button>
    <div class="panel" id="dajeong-panel" hidden></div>`;
  const launcher = root.querySelector('.launcher');
  const panel = root.querySelector('.panel');
  const badge = root.querySelector('.badge');
  let frame;
  let unread = 0;

  /** Replies that arrived while the chat was closed, shown on the launcher until it is opened. */
  function setUnread(count) {
    unread = count;
    badge.hidden = count === 0;
    badge.querySelector('.count').textContent = count > 99 ? '99+' : String(count);
    badge.querySelector('.sr').textContent = count ? `, ${text('embed.unread', { count })}` : '';
  }

  function open() {
    if (!frame) {
      // Created on first open, so pages whose visitors never chat start no session.
      frame = document.createElement('iframe');
      frame.title = text('header.title');
      frame.src = `${widgetUrl.href}?embed=1&lang=${encodeURIComponent(lang)}`;
      frame.addEventListener('load', () => focusChat());
      panel.append(frame);
    }
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    setUnread(0);
    focusChat();
  }

  function focusChat() {
    if (panel.hidden || !frame) return;
    frame.focus();
    frame.contentWindow?.postMessage({ type: 'dajeong:focus' }, widgetOrigin);
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
  window.addEventListener('message', (event) => {
    // Only the chat frame may close itself.
    if (event.origin !== widgetOrigin || !frame || event.source !== frame.contentWindow) return;
    if (event.data && event.data.type === 'dajeong:close') close();
    if (event.data && event.data.type === 'dajeong:message' && panel.hidden) setUnread(unread + 1);
  });

  (document.body || document.documentElement).append(host);
  loadTexts().then(() => {
    root.querySelector('.label').textContent = script.dataset.label || text('embed.open');
    launcher.hidden = false;
  });
})();
