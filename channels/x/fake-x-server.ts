/**
 * Test support: a local X API v2 DM endpoint (`POST /2/dm_conversations/with/:id/messages`) that
 * verifies the OAuth 1.0a HMAC-SHA1 signature the way X does (over the official https://api.x.com
 * URL the client signed), checks the text limit, and answers with X's problem+json errors and
 * x-rate-limit-* headers. Also signs Account Activity webhook bodies.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type RecordedRequest } from '../shared/fake-http-server';

export interface XSentDm {
  participantId: string;
  text: string;
}

export class FakeXServer {
  readonly http: FakeHttpServer;
  private eventSeq = 1_700_000_000_000_000_000n;

  constructor(
    readonly consumerKey: string,
    readonly consumerSecret: string,
    readonly accessToken: string,
    readonly accessSecret: string,
    /** The origin clients sign requests for. */
    readonly signedOrigin = 'https://api.x.com',
  ) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** DMs accepted, oldest first. */
  sent(participantId?: string): XSentDm[] {
    return this.http.requests
      .filter((r) => r.reply?.status === 201)
      .map((r) => ({ participantId: participantOf(r)!, text: (r.body as { text: string }).text }))
      .filter((d) => participantId === undefined || d.participantId === participantId);
  }

  async waitForSent(participantId: string, count = 1, timeoutMs = 10_000): Promise<XSentDm[]> {
    await this.http.waitFor(
      (r) => r.reply?.status === 201 && participantOf(r) === participantId,
      timeoutMs,
      count,
    );
    return this.sent(participantId);
  }

  /** Next DM to the participant answers 429 with x-rate-limit-reset `resetInSeconds` from now. */
  rateLimitNext(participantId: string, resetInSeconds: number): void {
    const reset = Math.ceil(Date.now() / 1000) + resetInSeconds;
    this.http.failNext((r) => participantOf(r) === participantId, {
      status: 429,
      headers: {
        'x-rate-limit-limit': '200',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(reset),
        'content-type': 'application/problem+json',
      },
      body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
    });
  }

  /** Next DMs to the participant answer 503. */
  failNext(participantId: string, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.http.failNext((r) => participantOf(r) === participantId, {
        status: 503,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          title: 'Service Unavailable',
          detail: 'Service Unavailable',
          type: 'about:blank',
          status: 503,
        },
      });
    }
  }

  /** A crc_token as X sends it: the base64 of a random UUID. */
  crcToken(): string {
    return Buffer.from(randomUUID()).toString('base64');
  }

  /** The response_token X expects for a crc_token. */
  crcAnswer(token: string): string {
    return `sha256=${createHmac('sha256', this.consumerSecret).update(token).digest('base64')}`;
  }

  /** Signs a webhook body like X: sha256= + base64 HMAC-SHA256 with the consumer secret. */
  sign(payload: unknown): { body: string; signature: string } {
    const body = JSON.stringify(payload);
    return {
      body,
      signature: `sha256=${createHmac('sha256', this.consumerSecret).update(body).digest('base64')}`,
    };
  }

  /** An Account Activity payload with one DM from `senderId` to our account. */
  dmEvent(
    forUserId: string,
    senderId: string,
    text: string,
    extra: { id?: string; quickReply?: string; mediaUrl?: string } = {},
  ) {
    const id = extra.id ?? String(this.eventSeq++);
    const tco = 'https://t.co/AbCdEf1234';
    const messageData: Record<string, unknown> = {
      text: extra.mediaUrl ? `${text} ${tco}` : text,
      entities: {
        hashtags: [],
        symbols: [],
        user_mentions: [],
        urls: extra.mediaUrl
          ? [
              {
                url: tco,
                expanded_url: 'https://x.com/messages/media/1',
                display_url: 'pic.x.com/1',
                indices: [0, 23],
              },
            ]
          : [],
      },
    };
    if (extra.quickReply) messageData.quick_reply_response = { type: 'options', metadata: extra.quickReply };
    if (extra.mediaUrl)
      messageData.attachment = {
        type: 'media',
        media: { id: 1, id_str: '1', media_url_https: extra.mediaUrl, url: tco, type: 'photo' },
      };
    return {
      for_user_id: forUserId,
      direct_message_events: [
        {
          type: 'message_create',
          id,
          created_timestamp: String(Date.now()),
          message_create: {
            target: { recipient_id: senderId === forUserId ? '999' : forUserId },
            sender_id: senderId,
            source_app_id: '268278',
            message_data: messageData,
          },
        },
      ],
      users: {
        [senderId]: {
          id: senderId,
          created_timestamp: '1422556069340',
          name: '김민지',
          screen_name: 'minji_gg',
          protected: false,
          verified: false,
          followers_count: 10,
          friends_count: 20,
          statuses_count: 30,
        },
      },
    };
  }

  private handle(req: RecordedRequest): FakeReply {
    const participant = participantOf(req);
    if (req.method !== 'POST' || !participant)
      return problem(404, 'Not Found', 'Sorry, that page does not exist.');
    if (!this.validSignature(req)) return problem(401, 'Unauthorized', 'Unauthorized');
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || !text) return invalid('text must not be empty');
    if (text.length > 10_000) return invalid('text: must be at most 10000 characters');
    return {
      status: 201,
      headers: {
        'x-rate-limit-limit': '200',
        'x-rate-limit-remaining': '199',
        'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 900),
      },
      body: {
        data: {
          dm_conversation_id: `${participant}-1442221`,
          dm_event_id: `${randomBytes(8).readBigUInt64BE() % 10n ** 18n}`,
        },
      },
    };
  }

  /** OAuth 1.0a (RFC 5849) HMAC-SHA1 check over method, signed URL and parameters. */
  private validSignature(req: RecordedRequest): boolean {
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('OAuth ')) return false;
    const params = new Map<string, string>();
    for (const m of auth.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g))
      params.set(m[1]!, decodeURIComponent(m[2]!));
    const signature = params.get('oauth_signature');
    if (
      params.get('oauth_consumer_key') !== this.consumerKey ||
      params.get('oauth_token') !== this.accessToken
    )
      return false;
    if (params.get('oauth_signature_method') !== 'HMAC-SHA1' || !signature) return false;
    const pairs: [string, string][] = [...params].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
    for (const [k, v] of req.query) pairs.push([k, v]);
    const normalized = pairs
      .map(([k, v]) => [enc(k), enc(v)] as const)
      .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const base = [req.method.toUpperCase(), enc(`${this.signedOrigin}${req.path}`), enc(normalized)].join(
      '&',
    );
    const expected = createHmac('sha1', `${enc(this.consumerSecret)}&${enc(this.accessSecret)}`)
      .update(base)
      .digest('base64');
    return expected === signature;
  }
}

function participantOf(req: RecordedRequest): string | undefined {
  return /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(req.path)?.[1];
}

/** RFC 3986 percent-encoding, as OAuth 1.0a requires. */
function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function problem(status: number, title: string, detail: string): FakeReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { title, detail, type: 'about:blank', status },
  };
}

function invalid(message: string): FakeReply {
  return {
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
    body: {
      errors: [{ parameters: { text: [] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}
