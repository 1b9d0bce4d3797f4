/**
 * KakaoTalk skill requests carry no signature. They are accepted only on the secret path segment
 * (constant-time compare) and, when configured, from allowed IP addresses.
 */
import { isIP, type BlockList } from 'node:net';
import type { RawRequest } from '../../src/core/channel-port';
import { safeEqual } from '../shared/webhook-utils';

export type KakaoVerdict = 'ok' | 'bad_secret' | 'ip_not_allowed';

/** Checks the :secret path parameter and the caller address. */
export function verifyKakaoRequest(req: RawRequest, secret: string, allowedIps?: BlockList): KakaoVerdict {
  if (allowedIps && !ipAllowed(req.ip, allowedIps)) return 'ip_not_allowed';
  return safeEqual(req.params.secret, secret) ? 'ok' : 'bad_secret';
}

function ipAllowed(ip: string | undefined, list: BlockList): boolean {
  if (!ip) return false;
  // Node reports IPv4 callers on a dual-stack socket as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  const family = isIP(address);
  if (!family) return false;
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
