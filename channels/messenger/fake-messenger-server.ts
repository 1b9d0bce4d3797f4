/**
 * Test support: a local Graph API Send endpoint (`POST /{version}/me/messages`) that checks what
 * Meta checks — page token, appsecret_proof, messaging_type/tag, text and quick-reply limits, the
 * 24-hour / 7-day HUMAN_AGENT windows — and answers with Graph's error shapes. Also builds signed
 * webhook payloads like the ones Meta POSTs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type RecordedRequest } from '../shared/fake-http-server';

export const FAKE_PAGE_ID = '104857600123456';

export interface MessengerSendCall {
  recipient: { id: string };
  messaging_type: string;
  tag?: string;
  message: Record<string, unknown> & { text?: string; quick_replies?: { title: string; payload: string }[] };
}

export class FakeMessengerServer {
  readonly http: FakeHttpServer;
  /** When each resident last wrote to the page, as Meta knows it (drives the window checks). */
  readonly lastUserMessageAt = new Map<string, Date>();
  private seq = 1;

  constructor(
    readonly pageToken: string,
    readonly appSecret: string,
    readonly version = 'v23.0',
  ) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  /** Starts the server; returns the base URL to configure (MESSENGER_API_BASE). */
  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Successful Send API calls to a PSID, oldest first. */
  sent(psid?: string): MessengerSendCall[] {
    return this.http.requests
      .filter((r) => r.reply?.status === 200 && r.path.endsWith('/me/messages'))
      .map((r) => r.body as MessengerSendCall)
      .filter((b) => psid === undefined || b.recipient.id === psid);
  }

  async waitForSent(psid: string, count = 1, timeoutMs = 10_000): Promise<MessengerSendCall[]> {
    await this.http.waitFor(
      (r) =>
        r.reply?.status === 200 &&
        r.path.endsWith('/me/messages') &&
        (r.body as MessengerSendCall).recipient?.id === psid,
      timeoutMs,
      count,
    );
    return this.sent(psid);
  }

  /** Next Send API calls (to `psid`, or to anyone) answer 500 with Graph's transient error. */
  failNext(times = 1, psid?: string): void {
    const reply = graphError(
      500,
      'An unexpected error has occurred. Please retry your request later.',
      2,
      undefined,
      true,
    );
    for (let i = 0; i < times; i++) this.http.failNext(sendTo(psid), reply);
  }

  /** Next Send API call (to `psid`, or to anyone) answers 429 with the rate-limit code 613 and Retry-After. */
  rateLimitNext(retryAfterSeconds: number, psid?: string): void {
    const reply = graphError(429, 'Calls to this api have exceeded the rate limit.', 613);
    this.http.failNext(sendTo(psid), { ...reply, headers: { 'retry-after': String(retryAfterSeconds) } });
  }

  /** Signs a webhook body exactly as Meta does; returns the bytes and the header value. */
  sign(payload: unknown): { body: string; signature: string } {
    const body = JSON.stringify(payload);
    return { body, signature: `sha256=${createHmac('sha256', this.appSecret).update(body).digest('hex')}` };
  }

  private handle(req: RecordedRequest): FakeReply {
    if (req.method !== 'POST' || req.path !== `/${this.version}/me/messages`) {
      return graphError(400, `Unsupported post request. Object with ID 'me' does not exist`, 100, 33);
    }
    const token =
      req.query.get('access_token') ?? (req.body as { access_token?: string } | undefined)?.access_token;
    if (token !== this.pageToken)
      return graphError(400, 'Invalid OAuth access token - Cannot parse access token', 190);
    const proof = req.query.get('appsecret_proof');
    if (!proof) return graphError(400, 'API calls from the server require an appsecret_proof argument', 100);
    if (proof !== createHmac('sha256', this.appSecret).update(this.pageToken).digest('hex')) {
      return graphError(400, 'Invalid appsecret_proof provided in the API argument', 100);
    }
    const call = req.body as MessengerSendCall | undefined;
    if (!call?.recipient?.id) return graphError(400, '(#100) param recipient must be non-empty.', 100);
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(call.messaging_type))
      return graphError(
        400,
        '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}',
        100,
      );
    if (call.messaging_type === 'MESSAGE_TAG' && !call.tag)
      return graphError(400, '(#100) Tag is required for MESSAGE_TAG messaging type', 100);
    const problem = checkMessage(call.message);
    if (problem) return graphError(400, problem, 100);
    const last = this.lastUserMessageAt.get(call.recipient.id);
    if (last) {
      const hours = (Date.now() - last.getTime()) / 3_600_000;
      const allowed = call.messaging_type === 'MESSAGE_TAG' && call.tag === 'HUMAN_AGENT' ? 7 * 24 : 24;
      if (hours > allowed) {
        return graphError(
          400,
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
          10,
          2018278,
        );
      }
    }
    return {
      status: 200,
      body: {
        recipient_id: call.recipient.id,
        message_id: `m_${randomBytes(12).toString('base64url')}${this.seq++}`,
      },
    };
  }
}

function sendTo(psid: string | undefined) {
  return (r: RecordedRequest) =>
    r.path.endsWith('/me/messages') &&
    (psid === undefined || (r.body as MessengerSendCall | undefined)?.recipient?.id === psid);
}

function checkMessage(message: MessengerSendCall['message'] | undefined): string | undefined {
  if (!message) return '(#100) param message must be non-empty.';
  if (message.text !== undefined) {
    if (!message.text) return '(#100) param message[text] must be non-empty.';
    if (message.text.length > 2000)
      return '(#100) Length of param message[text] must be less than or equal to 2000';
  } else if (!message.attachment) return '(#100) Must send either message or attachment';
  const template = (
    message.attachment as
      { payload?: { template_type?: string; text?: string; buttons?: unknown[] } } | undefined
  )?.payload;
  if (template?.template_type === 'button') {
    if (!template.text || template.text.length > 640)
      return '(#100) param message[attachment][payload][text] must be 1-640 characters';
    if (!template.buttons?.length || template.buttons.length > 3)
      return '(#100) param message[attachment][payload][buttons] must have 1-3 buttons';
  }
  const quick = message.quick_replies ?? [];
  if (quick.length > 13) return '(#100) param message[quick_replies] must have at most 13 items.';
  if (quick.some((q) => !q.title || q.title.length > 20))
    return '(#100) param title must be at most 20 characters';
  if (quick.some((q) => !q.payload || q.payload.length > 1000))
    return '(#100) param payload must be at most 1000 characters';
  return undefined;
}

function graphError(
  status: number,
  message: string,
  code: number,
  subcode?: number,
  transient?: boolean,
): FakeReply {
  return {
    status,
    headers: {
      'www-authenticate': `OAuth "Facebook Platform" "invalid_request" "${message.replace(/"/g, "'")}"`,
    },
    body: {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(subcode !== undefined && { error_subcode: subcode }),
        ...(transient !== undefined && { is_transient: transient }),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

let midSeq = 1;
/** Realistic webhook bodies, shaped like Meta's Page subscription events. */
export const messengerWebhooks = {
  text(psid: string, text: string, mid = `m_${midSeq++}_${randomBytes(6).toString('hex')}`, at = Date.now()) {
    return page([
      { sender: { id: psid }, recipient: { id: FAKE_PAGE_ID }, timestamp: at, message: { mid, text } },
    ]);
  },
  quickReply(psid: string, title: string, payload: string, mid = `m_${midSeq++}_qr`) {
    return page([
      {
        sender: { id: psid },
        recipient: { id: FAKE_PAGE_ID },
        timestamp: Date.now(),
        message: { mid, text: title, quick_reply: { payload } },
      },
    ]);
  },
  image(psid: string, url: string, mid = `m_${midSeq++}_img`) {
    return page([
      {
        sender: { id: psid },
        recipient: { id: FAKE_PAGE_ID },
        timestamp: Date.now(),
        message: { mid, attachments: [{ type: 'image', payload: { url } }] },
      },
    ]);
  },
  postback(psid: string, title: string, payload: string, mid = `m_${midSeq++}_pb`) {
    return page([
      {
        sender: { id: psid },
        recipient: { id: FAKE_PAGE_ID },
        timestamp: Date.now(),
        postback: { mid, title, payload },
      },
    ]);
  },
  /** What Meta sends after the page itself sent a message: must be ignored. */
  echo(psid: string, text: string) {
    return page([
      {
        sender: { id: FAKE_PAGE_ID },
        recipient: { id: psid },
        timestamp: Date.now(),
        message: { mid: `m_${midSeq++}_echo`, is_echo: true, app_id: 1517, text },
      },
    ]);
  },
  delivery(psid: string) {
    return page([
      {
        sender: { id: psid },
        recipient: { id: FAKE_PAGE_ID },
        timestamp: Date.now(),
        delivery: { mids: ['m_x'], watermark: Date.now() },
      },
    ]);
  },
};

function page(messaging: unknown[]) {
  return { object: 'page', entry: [{ id: FAKE_PAGE_ID, time: Date.now(), messaging }] };
}
