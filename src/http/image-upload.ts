/**
 * Reads an uploaded photo from a raw request body (Content-Type image/*), after the caller has
 * authenticated the request, so anonymous clients cannot make the server buffer megabytes. The
 * size is checked against the route's own limit while reading and the type from the bytes.
 */
import type { Request } from 'express';
import { DajeongError } from '../core/errors';
import { sniffImageType, type MediaType } from '../core/media-port';

export interface ImageUpload {
  bytes: Buffer;
  mimeType: MediaType;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * @throws DajeongError('validation') for a body over `maxBytes`, an empty body, or bytes that are
 *   not a JPEG, PNG, WebP or GIF image (whatever the Content-Type says).
 */
export async function readImageUpload(req: Request, maxBytes: number): Promise<ImageUpload> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw new DajeongError('validation', `The photo is too large (${mb(declared)}); the limit is ${mb(maxBytes)}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is read and dropped, so the client still gets the answer below;
    // a body that goes on far beyond it is cut off.
    if (size > maxBytes * 4) {
      req.destroy();
      break;
    }
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw new DajeongError('validation', `The photo is too large; the limit is ${mb(maxBytes)}.`);
  const bytes = Buffer.concat(chunks);
  if (!bytes.length) throw new DajeongError('validation', 'The request has no photo: send the image bytes as the body.');
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw new DajeongError('validation', 'Only JPEG, PNG, WebP and GIF photos can be sent.');
  return { bytes, mimeType };
}
