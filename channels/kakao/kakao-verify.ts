/**
 * KakaoTalk skill requests carry no signature. They are accepted only on the secret path segment
 * (constant-time compare) and, when configured, from allowed IP addresses.
 */
import { createHash } from 'node:crypto';
import { isIP, type BlockList } from 'node:net';
import type { RawRequest } from '../../src/core/channel-port';
import { safeEqual } from '../shared/webhook-utils';
import type { KakaoRequest } from './kakao-to-canonical';

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

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The callback URL when it points at an allowed Kakao host over HTTPS (plain HTTP only for a
 * loopback host, i.e. a local fake server); undefined otherwise, so a forged request cannot make
 * the service POST answers, counselor replies included, to an address of its choice.
 */
export function allowedCallbackUrl(url: string | null | undefined, hosts: string[]): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.host.toLowerCase();
  if (!hosts.includes(host) && !hosts.includes(parsed.hostname.toLowerCase())) return undefined;
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) return url;
  return undefined;
}

/** The user keys of a request besides its id (hashed): Kakao sends the same ones with every request of a user. */
export type KakaoUserKeys = Partial<Record<'bot' | 'plusfriend' | 'app', string>>;

export function kakaoUserKeys(request: KakaoRequest): KakaoUserKeys {
  const properties = request.userRequest.user.properties ?? {};
  const hash = (value: unknown) =>
    typeof value === 'string' && value ? createHash('sha256').update(value).digest('base64url').slice(0, 22) : undefined;
  const keys: KakaoUserKeys = {};
  const bot = hash(request.bot?.id);
  const plusfriend = hash(properties.plusfriendUserKey);
  const app = hash(properties.appUserId);
  if (bot) keys.bot = bot;
  if (plusfriend) keys.plusfriend = plusfriend;
  if (app) keys.app = app;
  return keys;
}

/**
 * True when a request may act for a conversation bound to `bound`: it must carry every key the
 * conversation was bound with, unchanged (keys only ever get added).
 */
export function keysMatch(bound: KakaoUserKeys | undefined, request: KakaoUserKeys): boolean {
  if (!bound) return true;
  return (Object.keys(bound) as (keyof KakaoUserKeys)[]).every((k) => request[k] === bound[k]);
}
