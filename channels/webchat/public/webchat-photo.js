/**
 * Photos from the resident: checked (type, size), made smaller in the browser (long side at most
 * 1600 px, JPEG), then uploaded with progress to POST /api/app/v1/media. Phones shrink a 4 MB
 * camera photo to a few hundred KB, so uploads finish on weak mobile data too.
 */
import { ApiError, NetworkError } from './webchat-api.js';

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
const MAX_ORIGINAL_BYTES = 25 * 1024 * 1024;
const MAX_SIDE_PX = 1600;
/** GIFs this small are sent as they are, so an animation keeps moving. */
const KEEP_GIF_BYTES = 2 * 1024 * 1024;

/** A photo the resident cannot send: `reason` is 'type', 'size' or 'unreadable'. */
export class PhotoError extends Error {
  constructor(reason) {
    super(`photo rejected: ${reason}`);
    this.reason = reason;
  }
}

function readAsDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * Checks and shrinks a chosen file.
 * @returns {Promise<{blob: Blob, preview: string}>} the bytes to upload and a data: URL to show now
 * @throws PhotoError
 */
export async function preparePhoto(file) {
  // Some phones report HEIC; browsers that pick it through accept=image/* usually convert it first.
  if (!ACCEPTED.includes(file.type)) throw new PhotoError('type');
  if (file.size > MAX_ORIGINAL_BYTES) throw new PhotoError('size');
  let blob = file;
  if (!(file.type === 'image/gif' && file.size <= KEEP_GIF_BYTES)) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      throw new PhotoError('unreadable');
    }
    const scale = Math.min(1, MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const resized = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    // Keep whichever is smaller: a tiny PNG can beat its JPEG.
    if (resized && (resized.size < file.size || scale < 1)) blob = resized;
  }
  return { blob, preview: await readAsDataUrl(blob) };
}

/**
 * Uploads a prepared photo; XMLHttpRequest because fetch cannot report upload progress.
 * @returns {Promise<{messageId: string, mediaId: string}>}
 * @throws ApiError (the server refused; `retryable` says whether trying again may help) or NetworkError
 */
export function uploadPhoto({ url, token, blob, clientMessageId, caption, onProgress }) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', blob.type || 'application/octet-stream');
    xhr.setRequestHeader('x-client-message-id', clientMessageId);
    if (caption) xhr.setRequestHeader('x-caption', encodeURIComponent(caption));
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let json = {};
      try {
        json = JSON.parse(xhr.responseText || '{}');
      } catch {
        // A proxy's HTML error page: keep the status.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new ApiError(xhr.status, json.error?.code ?? `http_${xhr.status}`, json.error?.message ?? xhr.statusText));
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.ontimeout = () => reject(new NetworkError('upload timed out'));
    xhr.timeout = 120_000;
    xhr.send(blob);
  });
}

/**
 * Loads stored photos (`media:<id>`) with the session token, as data: URLs the page may show
 * (an <img> cannot send the Authorization header). Keeps the last few, so re-renders are free.
 */
export function createImageLoader(base, token) {
  const cache = new Map();
  const MAX = 40;
  return (ref) => {
    const id = ref.slice('media:'.length);
    if (!cache.has(id)) {
      const loading = fetch(new URL(`media/${encodeURIComponent(id)}`, base), { headers: { authorization: `Bearer ${token()}` } })
        .then((res) => (res.ok ? res.blob() : undefined))
        .then((blob) => (blob ? readAsDataUrl(blob) : undefined))
        .catch(() => undefined);
      cache.set(id, loading);
      if (cache.size > MAX) cache.delete(cache.keys().next().value);
      // A failure is not cached: the next render tries again.
      loading.then((v) => v === undefined && cache.delete(id));
    }
    return cache.get(id);
  };
}
