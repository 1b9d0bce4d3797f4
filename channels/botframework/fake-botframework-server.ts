/**
 * Test support: a local Bot Framework connector (the channel's serviceUrl). It accepts
 * `POST /v3/conversations/{id}/activities/{replyToId}` and `POST /v3/conversations/{id}/activities`
 * like the real Connector API, answers {id}, and can script 429 (Retry-After) and 5xx answers.
 * Also builds message activities like the ones a channel POSTs to /api/messages.
 */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type RecordedRequest } from '../shared/fake-http-server';

export interface ConnectorCall {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown> & { type: string; text?: string; name?: string };
  authorization?: string;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export class FakeBotConnector {
  readonly http: FakeHttpServer;
  private seq = 1;

  constructor() {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  /** Starts; returns the serviceUrl (with trailing slash, as channels send it). */
  async start(): Promise<string> {
    return `${await this.http.start()}/`;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Activities accepted for a conversation, oldest first. */
  received(conversationId?: string): ConnectorCall[] {
    return this.http.requests
      .filter((r) => r.reply?.status === 200)
      .map(toCall)
      .filter(
        (c): c is ConnectorCall =>
          !!c && (conversationId === undefined || c.conversationId === conversationId),
      );
  }

  async waitFor(
    conversationId: string,
    predicate: (c: ConnectorCall) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ConnectorCall> {
    const [req] = await this.http.waitFor((r) => {
      const c = r.reply?.status === 200 ? toCall(r) : undefined;
      return !!c && c.conversationId === conversationId && predicate(c);
    }, timeoutMs);
    return toCall(req!)!;
  }

  /** Next activity to the conversation answers 429 with Retry-After. */
  throttleNext(conversationId: string, retryAfterSeconds: number): void {
    this.http.failNext((r) => toCall(r)?.conversationId === conversationId, {
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { error: { code: 'Throttled', message: 'The request was throttled.' } },
    });
  }

  /** Next activities to the conversation answer 503. */
  failNext(conversationId: string, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.http.failNext((r) => toCall(r)?.conversationId === conversationId, {
        status: 503,
        body: { error: { code: 'ServiceError', message: 'The service is temporarily unavailable.' } },
      });
    }
  }

  private handle(req: RecordedRequest): FakeReply {
    const call = toCall(req);
    if (req.method !== 'POST' || !call)
      return { status: 404, body: { error: { code: 'BadArgument', message: 'Unknown route' } } };
    if (!call.activity?.type)
      return {
        status: 400,
        body: { error: { code: 'MissingProperty', message: 'Activity type is required' } },
      };
    return { status: 200, body: { id: `${call.conversationId}|${String(this.seq++).padStart(7, '0')}` } };
  }
}

function toCall(req: RecordedRequest): ConnectorCall | undefined {
  const m = ROUTE.exec(req.path);
  if (!m) return undefined;
  return {
    conversationId: decodeURIComponent(m[1]!),
    replyToId: m[2] ? decodeURIComponent(m[2]) : undefined,
    activity: req.body as ConnectorCall['activity'],
    authorization: req.headers.authorization,
  };
}

/** A message activity as Web Chat / Direct Line posts it to the bot. */
export function botFrameworkMessage(options: {
  serviceUrl: string;
  conversationId: string;
  text: string;
  id?: string;
  userId?: string;
  value?: unknown;
  locale?: string;
  channelId?: string;
}) {
  const {
    serviceUrl,
    conversationId,
    text,
    userId = 'dl_8f3a2c9e',
    locale = 'ko-KR',
    channelId = 'webchat',
  } = options;
  return {
    type: 'message',
    id: options.id ?? `${conversationId}|${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    localTimezone: 'Asia/Seoul',
    serviceUrl,
    channelId,
    from: { id: userId, name: '김민지', role: 'user' },
    conversation: { id: conversationId },
    recipient: { id: 'dajeong-bot@Tb7Gk1', name: 'Dajeong', role: 'bot' },
    textFormat: 'plain',
    locale,
    text,
    ...(options.value !== undefined && { value: options.value }),
    entities: [
      { type: 'ClientCapabilities', requiresBotState: true, supportsListening: true, supportsTts: true },
    ],
    channelData: { clientActivityID: randomUUID() },
  };
}

/**
 * A local Bot Framework token authority: serves the OpenID metadata and signing keys a bot reads
 * (configure ToBotFromChannelOpenIdMetadataUrl to `metadataUrl`) and issues RS256 channel tokens
 * with the claims the Bot Connector puts in them.
 */
export class FakeBotFrameworkAuthority {
  readonly http: FakeHttpServer;
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = `fake-${randomUUID().slice(0, 8)}`;

  constructor(private readonly endorsements: string[] = ['webchat', 'msteams', 'directline', 'emulator']) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  async start(): Promise<string> {
    await this.http.start();
    return this.metadataUrl;
  }

  get metadataUrl(): string {
    return `${this.http.url}/v1/.well-known/openidconfiguration`;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** A channel-to-bot token for `appId` and the activity's serviceUrl, signed with our key (or another). */
  issueToken(
    appId: string,
    serviceUrl: string,
    options: { foreignKey?: boolean; expiresInSeconds?: number } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid };
    const claims = {
      serviceurl: serviceUrl,
      nbf: now - 5,
      exp: now + (options.expiresInSeconds ?? 3600),
      iss: 'https://api.botframework.com',
      aud: appId,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const key = options.foreignKey
      ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      : this.keys.privateKey;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
  }

  private handle(req: RecordedRequest): FakeReply {
    if (req.path === '/v1/.well-known/openidconfiguration') {
      return {
        status: 200,
        body: {
          issuer: 'https://api.botframework.com',
          authorization_endpoint: 'https://invalid.botframework.com',
          jwks_uri: `${this.http.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        },
      };
    }
    if (req.path === '/v1/.well-known/keys') {
      const jwk = this.keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
      return {
        status: 200,
        body: {
          keys: [
            {
              kty: 'RSA',
              use: 'sig',
              kid: this.kid,
              x5t: this.kid,
              n: jwk.n,
              e: jwk.e,
              endorsements: this.endorsements,
            },
          ],
        },
      };
    }
    return { status: 404, body: { error: 'not found' } };
  }
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
