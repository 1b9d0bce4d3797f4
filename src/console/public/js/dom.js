// Small DOM helpers. Everything from the server goes in as text, never as HTML.

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
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}초`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}분 ${s % 60}초`;
  return `${Math.floor(m / 60)}시간 ${m % 60}분`;
}

export function time(iso) {
  return new Date(iso).toLocaleTimeString('ko-KR', { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso) {
  return new Date(iso).toLocaleString('ko-KR', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Shows a short message in the corner. */
export function toast(text, kind = '') {
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, text);
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

export const LABELS = {
  priority: { crisis: '위기', bot_failure: '봇 응대 실패', request: '상담 요청', normal: '일반' },
  state: { bot: '챗봇', queued: '대기 중', assigned: '상담 중', closed: '종료' },
  author: { resident: '민원인', bot: '챗봇', counselor: '상담사', system: '안내' },
  presence: { available: '상담 가능', away: '자리 비움', offline: '오프라인' },
  role: { counselor: '상담사', supervisor: '슈퍼바이저', admin: '시스템 관리자' },
  shift: { day: '주간', night: '야간', graveyard: '심야' },
  language: { ko: '한국어', en: '영어', zh: '중국어', vi: '베트남어', ja: '일본어', th: '태국어', ru: '러시아어', mn: '몽골어', uz: '우즈베크어', tl: '타갈로그어', ne: '네팔어', km: '크메르어', id: '인도네시아어' },
  resolution: { answered: '답변 완료', referred: '담당 부서 안내', ticket_created: '민원 접수', callback: '회신 예정', no_response: '민원인 응답 없음', abusive: '욕설로 종료', other: '기타' },
};

export const label = (group, value) => LABELS[group]?.[value] ?? value ?? '-';
