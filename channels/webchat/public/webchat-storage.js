/**
 * The widget's saved state: device id, session token, cursor, language and unsent messages.
 * Kept in localStorage so a reload restores the conversation; falls back to memory when storage
 * is blocked (private modes, partitioned iframes), so the chat still works for this page's life.
 */

const KEY = 'dajeong.webchat.v1';
let memory = {};

/** Reads the saved state ({} when nothing is saved or it is unreadable). */
export function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    memory = saved && typeof saved === 'object' ? saved : {};
  } catch {
    // Unreadable or blocked storage: keep what this page already knows.
  }
  if (!Array.isArray(memory.pending)) memory.pending = [];
  return memory;
}

/** Saves the state object (the same one `loadState` returned, mutated in place). */
export function saveState(state) {
  memory = state;
  try {
    localStorage.setItem(KEY, JSON.stringify(state));
  } catch {
    // Storage full or blocked: the in-memory copy still serves this page.
  }
}

/** A random id that works outside secure contexts too (crypto.randomUUID needs https). */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
