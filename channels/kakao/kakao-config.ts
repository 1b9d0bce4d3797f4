/**
 * KakaoTalk (Kakao i Open Builder skill server) settings. Kakao signs nothing, so the skill URL
 * carries KAKAO_SKILL_SECRET as a path segment; KAKAO_ALLOWED_IPS optionally limits callers.
 * KAKAO_REPLY_WAIT_MS is how long an answer may take inside Kakao's 5-second limit before the
 * callback path (or a "check replies" answer) is used.
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { parseChannelEnv, present, withoutEmpty } from '../shared/channel-config';

export interface KakaoConfig {
  secret: string;
  /** Undefined = any caller (the secret path still applies). */
  allowedIps?: BlockList;
  replyWaitMs: number;
  /** How long a turn may run when Kakao gave a callback URL (valid for one minute). */
  callbackWaitMs: number;
  /** Hosts (host or host:port) a callback URL may point at; anything else is not called. */
  callbackHosts: string[];
}

const schema = z.object({
  KAKAO_SKILL_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, '16-128 URL-safe characters (A-Z, a-z, 0-9, _ and -)'),
  KAKAO_ALLOWED_IPS: z.string().optional(),
  KAKAO_REPLY_WAIT_MS: z.coerce.number().int().min(0).max(4500).default(3500),
  KAKAO_CALLBACK_WAIT_MS: z.coerce.number().int().min(1000).max(55_000).default(45_000),
  /** Kakao's callback host; tests add their fake server's host:port. */
  KAKAO_CALLBACK_HOSTS: z.string().default('bot-api.kakao.com'),
});

/**
 * The KakaoTalk configuration, or undefined when KAKAO_SKILL_SECRET is not set.
 * @throws Error for a malformed value, including an unreadable address in KAKAO_ALLOWED_IPS.
 */
export function kakaoConfig(env: NodeJS.ProcessEnv): KakaoConfig | undefined {
  if (!present(env.KAKAO_SKILL_SECRET)) return undefined;
  const c = parseChannelEnv('kakao', schema, withoutEmpty(env));
  return {
    secret: c.KAKAO_SKILL_SECRET,
    allowedIps: c.KAKAO_ALLOWED_IPS ? parseAllowList(c.KAKAO_ALLOWED_IPS) : undefined,
    replyWaitMs: c.KAKAO_REPLY_WAIT_MS,
    callbackWaitMs: c.KAKAO_CALLBACK_WAIT_MS,
    callbackHosts: c.KAKAO_CALLBACK_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
}

/** Parses "203.0.113.7, 198.51.100.0/24, 2001:db8::/32" into a BlockList used as an allow-list. */
export function parseAllowList(spec: string): BlockList {
  const list = new BlockList();
  for (const raw of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix] = raw.split('/');
    const family = isIP(address ?? '');
    if (!address || !family || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
      throw new Error(
        `Invalid kakao channel configuration: KAKAO_ALLOWED_IPS entry "${raw}" is not an IP address or CIDR range`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}
