/**
 * Messenger webhook authentication. Subscription: Meta GETs hub.mode=subscribe, hub.verify_token
 * and hub.challenge, and expects the challenge echoed. Events: X-Hub-Signature-256 is
 * `sha256=` + hex HMAC-SHA256 of the raw body keyed with the app secret.
 */
import type { RawRequest } from '../../src/core/channel-port';
import { header, hmac, queryValue, safeEqual } from '../shared/webhook-utils';

export const MESSENGER_SIGNATURE_HEADER = 'x-hub-signature-256';

/** The challenge to echo when the subscription request carries our verify token, else undefined. */
export function messengerChallenge(req: RawRequest, verifyToken: string): string | undefined {
  if (queryValue(req, 'hub.mode') !== 'subscribe') return undefined;
  if (!safeEqual(queryValue(req, 'hub.verify_token'), verifyToken)) return undefined;
  return queryValue(req, 'hub.challenge');
}

/** Expected X-Hub-Signature-256 value for a body. */
export function messengerSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${hmac('sha256', appSecret, rawBody, 'hex')}`;
}

/** True when X-Hub-Signature-256 matches the raw body bytes. */
export function verifyMessengerSignature(req: RawRequest, appSecret: string): boolean {
  const given = header(req, MESSENGER_SIGNATURE_HEADER)?.trim().toLowerCase();
  return safeEqual(given, messengerSignature(appSecret, req.rawBody));
}

/** appsecret_proof for Graph API calls: hex HMAC-SHA256 of the access token keyed with the app secret. */
export function appSecretProof(appSecret: string, accessToken: string): string {
  return hmac('sha256', appSecret, accessToken, 'hex');
}
