// The console API client: JSON in and out, the CSRF token on state-changing requests, and the
// console's language (X-Console-Language) so server messages come in the language shown.
import { currentLanguage } from './i18n.js';

const BASE = '/api/console/v1';
let csrfToken = '';

export function setCsrf(token) {
  csrfToken = token || '';
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.body = body;
  }
}

/** Calls the console API; a Blob body (a photo) is sent as its bytes, anything else as JSON. */
export async function api(method, path, body) {
  const headers = {};
  const raw = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  headers['x-console-language'] = currentLanguage();
  const res = await fetch(BASE + path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const csvUrl = (days) => `${BASE}/dashboard.csv?days=${days}`;
