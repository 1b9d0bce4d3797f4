/**
 * X Account Activity API webhook security. CRC: GET ?crc_token=T must be answered (within 3 s)
 * with {"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, T))}. Events: every POST
 * carries x-twitter-webhooks-signature = "sha256=" + base64 HMAC-SHA256 of the raw body.
 */
import type { RawRequest } from '../../src/core/channel-port';
import { header, hmac, safeEqual } from '../shared/webhook-utils';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

/**
 * X sends short base64/base64url nonces as crc_token (e.g. the base64 of a UUID, 48 characters).
 * Anything else is refused: the CRC answer is the same HMAC as an event signature, so answering
 * an arbitrary token would sign a forged event body for whoever asks.
 */
const CRC_TOKEN = /^[A-Za-z0-9+/_=-]{1,128}$/;

/** True when `token` has the form of an X crc_token: bounded base64 text that is not JSON. */
export function isXCrcToken(token: string): boolean {
  if (!CRC_TOKEN.test(token)) return false;
  try {
    // "true", "123" or "-1e5" fit the alphabet but would be signed JSON documents.
    JSON.parse(token);
    return false;
  } catch {
    return true;
  }
}

/** The CRC answer for a crc_token. */
export function crcResponse(crcToken: string, consumerSecret: string): { response_token: string } {
  return { response_token: `sha256=${hmac('sha256', consumerSecret, crcToken, 'base64')}` };
}

/** Expected signature header for a body. */
export function xSignature(consumerSecret: string, rawBody: Buffer | string): string {
  return `sha256=${hmac('sha256', consumerSecret, rawBody, 'base64')}`;
}

/** True when the signature header matches the raw body bytes. */
export function verifyXSignature(req: RawRequest, consumerSecret: string): boolean {
  return safeEqual(header(req, X_SIGNATURE_HEADER)?.trim(), xSignature(consumerSecret, req.rawBody));
}
