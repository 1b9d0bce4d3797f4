/** Typed, validated configuration from the environment, with documented defaults. */
import { isIP } from 'node:net';
import path from 'node:path';
import { ConnectionString } from 'mongodb-connection-string-url';
import { z } from 'zod';
import { parseLocalizedSetting, signLanguageServiceFrom, type SignLanguageService } from './accessibility/sign-language-service';
import type { QaChecklist } from './core/qa-port';
import { SHIFTS } from './core/user-port';
import { cpuBudget } from './cpu-budget';
import { loadChecklist } from './handoff/qa-checklist';
import { parseShiftHours } from './handoff/shift-schedule';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A MongoDB connection string as the driver reads it: several hosts (replica set) and mongodb+srv allowed. */
const mongoUri = z.string().superRefine((value, ctx) => {
  try {
    new ConnectionString(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a MongoDB connection string (${err instanceof Error ? err.message : String(err)})` });
  }
});

const redisUrl = z.string().superRefine((value, ctx) => {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') ctx.addIssue({ code: 'custom', message: 'expected redis://host:port (or rediss:// for TLS)' });
});

/** SHIFT_HOURS: `name=HH-HH` for every shift, comma-separated. */
const shiftHours = z.string().transform((value, ctx) => {
  try {
    return parseShiftHours(value, SHIFTS);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; expected e.g. day=08-17,night=16-24,graveyard=00-09` });
    return z.NEVER;
  }
});

/** A text setting in every language, or a JSON object by language (checked, kept as written). */
const localizedSetting = z.string().superRefine((value, ctx) => {
  if (!value.trim()) return;
  try {
    parseLocalizedSetting(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; expected plain text or e.g. {"ko":"…","en":"…"}` });
  }
});

/** Named address ranges express ('trust proxy') understands besides addresses and CIDR ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: which X-Forwarded-For entries to believe. A hop count (the proxies in front) or the
 * proxies' addresses; never "everyone", which lets any client choose its own address.
 * @returns false (no proxy), a hop count, or a list of addresses, CIDR ranges and named ranges.
 */
export function parseTrustProxy(raw: string): false | number | string[] {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false' || value === 'no' || value === '0') return false;
  if (value === 'true' || value === 'yes')
    throw new Error(
      `TRUST_PROXY=${raw} would believe an X-Forwarded-For header sent by anyone; write how many proxies are in front of the service (TRUST_PROXY=1) or their addresses (TRUST_PROXY=10.0.0.0/8,127.0.0.1)`,
    );
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!NAMED_RANGES.has(entry) && (!family || !bitsOk || extra !== undefined))
      throw new Error(`TRUST_PROXY entry "${entry}" is not a hop count, an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`);
  }
  return entries;
}

const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx) => {
    try {
      return parseTrustProxy(raw);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

const fields = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** MongoDB connection string (one host, a replica set's hosts, or mongodb+srv); unset = embedded in-memory store. */
  MONGODB_URI: mongoUri.optional(),
  /**
   * How long a database operation waits for a usable server (primary) before failing. Longer than a
   * replica-set election (about 12 s with MongoDB's default 10 s election timeout), so a failover
   * delays turns instead of failing them. Wins over serverSelectionTimeoutMS in the URI.
   */
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
  /** Redis for several instances: shared events and rate limits. Unset = one instance, in-process. */
  REDIS_URL: redisUrl.optional(),
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/, '1-40 of A-Z a-z 0-9 : _ -').default('dajeong:'),
  /** Threads of the NLU inference session; default: the CPUs this container may use (cgroup quota). */
  NLU_THREADS: z.coerce.number().int().min(1).max(64).default(() => cpuBudget()),
  /** Folder with the provisioned encoder, or a hub model id. */
  MODEL_DIR: z.string().default(''),
  /** Set to 'lexical' to skip the transformer model entirely. */
  NLU_MODE: z.enum(['auto', 'lexical']).default('auto'),
  /**
   * Report ready (/readyz 200) while the transformer model is still loading or training, answering
   * with the lexical classifier meanwhile; default false: not ready until the transformer serves.
   */
  NLU_SERVE_DEGRADED: bool.default(false),
  INTENTS_DIR: z.string().default(''),
  KNOWLEDGE_DIR: z.string().default(''),
  /** Trained intent models, FAQ indexes and embeddings (default <root>/.cache); may be read-only. */
  CACHE_DIR: z.string().default(''),
  /** Days closed conversations are kept; 0 keeps them forever. */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(365),
  /** Days an app / web chat session may go unused before its token stops working and it is swept; 0: never. */
  APP_SESSION_IDLE_DAYS: z.coerce.number().min(0).default(30),
  /** Milliseconds a shutdown waits for in-flight turns and outbox sends. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Milliseconds a shutdown keeps serving with /readyz failing before it stops accepting, so a load
   * balancer polling /readyz stops sending new requests first (set it to the proxy's check interval).
   */
  SHUTDOWN_READY_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** A stored message still unanswered after this many seconds (e.g. a database outage hit its turn) is run again. */
  TURN_RETRY_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Outbox worker: milliseconds between polls, and the first retry delay (doubles per attempt, capped). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(500),
  OUTBOX_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
  OUTBOX_MAX_DELAY_MS: z.coerce.number().int().min(1).default(300_000),
  /** Proxies whose X-Forwarded-For is believed: a hop count or their addresses (parseTrustProxy). */
  TRUST_PROXY: trustProxy,
  /** Sites allowed to embed the web chat in a frame (CSP frame-ancestors), space-separated. Default: '*', in production 'self'. */
  WEBCHAT_FRAME_ANCESTORS: z.string().min(1).optional(),
  /** `production` switches to secure defaults (Secure cookie, no framing by any site, /metrics only with METRICS_TOKEN). */
  NODE_ENV: z.string().optional(),
  /** Bearer token /metrics requires; unset: /metrics is open, except in production where it is off. */
  METRICS_TOKEN: z.string().min(16).optional(),
  ROUTING: z.enum(['auto', 'manual']).default('auto'),
  ADMIN_LOGIN: z.string().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  ADMIN_TOKEN: z.string().min(16).optional(),
  // Counselor handoff and console (src/handoff, src/console).
  /** Seconds a queued chat may wait before supervisors are alerted (crisis: a sixth of it, at least 10 s). */
  SLA_SECONDS: z.coerce.number().int().min(1).default(180),
  /** Chats one counselor handles at once unless their account says otherwise. */
  COUNSELOR_MAX_CHATS: z.coerce.number().int().min(1).max(20).default(3),
  /** Seconds after which a chat waiting for a language skill may go to any counselor. */
  SKILL_FALLBACK_SECONDS: z.coerce.number().int().min(0).default(120),
  /** Least seconds between two queue-position updates to one resident. */
  QUEUE_NOTICE_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Least seconds between two acknowledgements of what one queued resident writes (all instances). */
  QUEUE_ACK_SECONDS: z.coerce.number().int().min(1).default(30),
  /** Milliseconds between router / SLA / queue-notice passes (each instance). */
  HANDOFF_TICK_MS: z.coerce.number().int().min(100).default(2000),
  /** Seconds without a console heartbeat after which a counselor counts as offline. */
  PRESENCE_TTL_SECONDS: z.coerce.number().int().min(10).default(120),
  /** Shift hours in Korea time (end exclusive, 24 = midnight, an end before the start runs past midnight). */
  SHIFT_HOURS: shiftHours.default(parseShiftHours('day=08-17,night=16-24,graveyard=00-09', SHIFTS)),
  /** Minutes after a shift's end during which the router may still give a counselor chats they held before. */
  SHIFT_GRACE_MINUTES: z.coerce.number().int().min(0).max(240).default(30),
  /** Staffing forecast: the share of chats to answer within STAFFING_TARGET_SECONDS (e.g. 0.8). */
  STAFFING_SERVICE_LEVEL: z.coerce.number().gt(0).lt(1).default(0.8),
  STAFFING_TARGET_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Weeks of chat history the staffing forecast learns arrivals and handle time from. */
  STAFFING_HISTORY_WEEKS: z.coerce.number().int().min(1).max(26).default(4),
  /** Quality monitoring: share of each counselor's closed chats sampled for review each day (at least one each). */
  QA_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.05),
  /** A closed chat whose lowest satisfaction score is at or below this is always reviewed. */
  QA_LOW_CSAT: z.coerce.number().int().min(1).max(5).default(2),
  /** The QA checklist file; default knowledge/qa/checklist.json. */
  QA_CHECKLIST: z.string().default(''),
  /** Minutes of the break offered after an abusive or crisis chat (the router gives nothing new meanwhile); 0 offers none. */
  CARE_BREAK_MINUTES: z.coerce.number().int().min(0).max(60).default(10),
  /** Abusive or crisis chats in a row after which supervisors are alerted about the counselor. */
  CARE_ALERT_STREAK: z.coerce.number().int().min(2).max(20).default(3),
  /** Hours a satisfaction survey waits for answers. */
  SURVEY_TTL_HOURS: z.coerce.number().int().min(1).default(24),
  /** Idle hours after which a console session ends (a night shift fits). */
  CONSOLE_SESSION_HOURS: z.coerce.number().min(0.1).max(24).default(12),
  /** Marks the console cookie Secure; set when served over HTTPS (directly or behind a TLS proxy). Default: false, in production true. */
  CONSOLE_SECURE_COOKIE: bool.optional(),
  /** Login attempts allowed per client address per minute, whatever logins it tries (all instances together with REDIS_URL). */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Wrong passwords for one login from one address before each further try waits (1 s, doubling). */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Wrong passwords for one login from all addresses together before every address waits. */
  LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  /** The longest sign-in wait, in minutes. */
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  /** GTFS feed (.zip or folder) for timetable answers; unset = transit answers give the GBIS link. */
  TRANSIT_GTFS: z.string().min(1).optional(),
  /** Gyeonggi bus open API base (e.g. https://apis.data.go.kr/6410000) and key, for live arrivals. */
  GBIS_API_BASE: z.string().url().optional(),
  GBIS_SERVICE_KEY: z.string().min(1).optional(),
  /**
   * The video sign-language service offered to deaf residents (src/accessibility); default Korea's
   * relay service for the deaf, 손말이음센터, 107, https://107.kr, 24/7. Name and hours: text or a
   * JSON object by language; hours `24/7` is said in the resident's language. '' removes a part
   * (an empty name: no sign-language service is offered, text chat with a counselor still is).
   */
  SIGN_LANGUAGE_SERVICE_NAME: localizedSetting.optional(),
  SIGN_LANGUAGE_SERVICE_HOURS: localizedSetting.optional(),
  SIGN_LANGUAGE_SERVICE_URL: z.union([z.literal(''), z.string().url().regex(/^https?:\/\//, 'an http(s) address')]).optional(),
  SIGN_LANGUAGE_SERVICE_PHONE: z.string().regex(/^[0-9+() -]{0,20}$/, 'digits, spaces, + ( ) or -').optional(),
});

// Rules between variables: each problem is reported on the variable to change.
const schema = fields.superRefine((c, ctx) => {
  if (c.OUTBOX_BASE_DELAY_MS > c.OUTBOX_MAX_DELAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['OUTBOX_BASE_DELAY_MS'], message: `must not exceed OUTBOX_MAX_DELAY_MS (${c.OUTBOX_MAX_DELAY_MS})` });
  }
  if (c.ADMIN_PASSWORD !== undefined && !c.ADMIN_LOGIN) {
    ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'needs ADMIN_LOGIN (the first admin is created from both)' });
  }
});

export type Config = Omit<z.infer<typeof schema>, 'CONSOLE_SECURE_COOKIE' | 'WEBCHAT_FRAME_ANCESTORS'> & {
  rootDir: string;
  intentsDir: string;
  knowledgeDir: string;
  modelDir: string;
  cacheDir: string;
  qaChecklistFile: string;
  /** The QA checklist, read and validated with the rest of the configuration (start-up fails on a bad one). */
  qaChecklist: QaChecklist;
  /** NODE_ENV=production: secure defaults apply. */
  production: boolean;
  /** The sign-language service offered to deaf residents; undefined: none configured. */
  signLanguageService?: SignLanguageService;
  CONSOLE_SECURE_COOKIE: boolean;
  WEBCHAT_FRAME_ANCESTORS: string;
};

/** Project root: two levels above this file in dist/src, one above in src. */
export function projectRoot(): string {
  const here = __dirname;
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
}

/** Parses the environment; throws one error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const rootDir = projectRoot();
  const c = parsed.data;
  const qaChecklistFile = c.QA_CHECKLIST || path.join(c.KNOWLEDGE_DIR || path.join(rootDir, 'knowledge'), 'qa', 'checklist.json');
  const production = c.NODE_ENV === 'production';
  const signLanguageService = signLanguageServiceFrom(c);
  return {
    ...c,
    production,
    CONSOLE_SECURE_COOKIE: c.CONSOLE_SECURE_COOKIE ?? production,
    WEBCHAT_FRAME_ANCESTORS: c.WEBCHAT_FRAME_ANCESTORS ?? (production ? "'self'" : '*'),
    rootDir,
    intentsDir: c.INTENTS_DIR || path.join(rootDir, 'intents'),
    knowledgeDir: c.KNOWLEDGE_DIR || path.join(rootDir, 'knowledge'),
    modelDir: c.MODEL_DIR || path.join(rootDir, 'models', 'multilingual-e5-small'),
    cacheDir: c.CACHE_DIR ? path.resolve(c.CACHE_DIR) : path.join(rootDir, '.cache'),
    qaChecklistFile,
    qaChecklist: loadChecklist(qaChecklistFile),
    ...(signLanguageService && { signLanguageService }),
  };
}
