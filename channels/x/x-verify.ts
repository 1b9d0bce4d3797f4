/**
 * X Account Activity API webhook security. CRC: GET ?crc_token=T must be answered (within 3 s)
 * with {"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, T))}. Events: every POST
 * carries x-twitter-webhooks-signature = "sha256=" + base64 HMAC-SHA256 of the raw body.
 */
import type { RawRequest } from '../../src/core/channel-port';
import { header, hmac, safeEqual } from '../shared/webhook-utils';

export const X_SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

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
