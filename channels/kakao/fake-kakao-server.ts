/**
 * Test support for KakaoTalk: skill request payloads shaped like Kakao i Open Builder's, a check
 * of skill responses against Kakao's format rules, and a local callback endpoint that behaves
 * like Kakao's (single use, valid one minute, answers {taskId, status}).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type RecordedRequest } from '../shared/fake-http-server';

/** Returns the format problems of a skill response (empty when valid). */
export function skillResponseProblems(response: unknown): string[] {
  const problems: string[] = [];
  const r = response as {
    version?: string;
    useCallback?: boolean;
    template?: { outputs?: unknown[]; quickReplies?: unknown[] };
  };
  if (r?.version !== '2.0') problems.push('version must be "2.0"');
  if (r?.useCallback === true) return problems;
  const outputs = r?.template?.outputs;
  if (!Array.isArray(outputs) || outputs.length < 1 || outputs.length > 3)
    problems.push('template.outputs must hold 1-3 components');
  for (const o of outputs ?? []) {
    const c = o as Record<string, Record<string, unknown> | undefined>;
    const kinds = Object.keys(c);
    if (kinds.length !== 1) problems.push(`component with keys ${kinds.join(',')}`);
    if (c.simpleText) {
      const text = c.simpleText.text;
      if (typeof text !== 'string' || !text || text.length > 1000)
        problems.push('simpleText.text must be 1-1000 characters');
    } else if (c.simpleImage) {
      if (typeof c.simpleImage.imageUrl !== 'string' || typeof c.simpleImage.altText !== 'string')
        problems.push('simpleImage needs imageUrl and altText');
    } else if (c.listCard) {
      const items = c.listCard.items as { title?: string }[] | undefined;
      if (!(c.listCard.header as { title?: string } | undefined)?.title)
        problems.push('listCard.header.title is required');
      if (!items?.length || items.length > 5 || items.some((i) => !i.title))
        problems.push('listCard.items must hold 1-5 items with titles');
    } else if (!c.basicCard && !c.textCard && !c.carousel) problems.push(`unknown component ${kinds[0]}`);
  }
  const quick = (r?.template?.quickReplies ?? []) as {
    label?: string;
    action?: string;
    messageText?: string;
  }[];
  if (quick.length > 10) problems.push('at most 10 quickReplies');
  for (const q of quick) {
    if (!q.label || q.label.length > 14)
      problems.push(`quick reply label "${q.label}" must be 1-14 characters`);
    if (q.action === 'message' && !q.messageText) problems.push('a message quick reply needs messageText');
  }
  return problems;
}

/** A skill request as Kakao i Open Builder POSTs it. */
export function kakaoSkillRequest(options: {
  userId: string;
  utterance: string;
  callbackUrl?: string;
  clientExtra?: Record<string, unknown>;
  lang?: string;
}) {
  const { userId, utterance, callbackUrl, clientExtra, lang = 'ko' } = options;
  return {
    intent: { id: 'fallback_block_id', name: '폴백 블록', extra: { reason: { code: 1, message: 'OK' } } },
    userRequest: {
      timezone: 'Asia/Seoul',
      params: { ignoreMe: 'true', surface: 'Kakaotalk.plusfriend' },
      block: { id: 'fallback_block_id', name: '폴백 블록' },
      utterance,
      lang,
      user: {
        id: userId,
        type: 'botUserKey',
        properties: {
          botUserKey: userId,
          isFriend: true,
          plusfriendUserKey: `pf_${userId.slice(0, 8)}`,
          bot_user_key: userId,
        },
      },
      ...(callbackUrl && { callbackUrl }),
    },
    bot: { id: '65f0c0ffee0000000000a120', name: '경기도 120 다정이' },
    action: {
      name: 'dajeong_skill',
      clientExtra: clientExtra ?? null,
      params: {},
      id: 'skill_action_id',
      detailParams: {},
    },
  };
}

/** Kakao's callback endpoint: one POST per URL, within one minute. */
export class FakeKakaoServer {
  readonly http: FakeHttpServer;
  private readonly callbacks = new Map<string, { issuedAt: number; used: boolean }>();

  constructor(private readonly validityMs = 60_000) {
    this.http = new FakeHttpServer((req) => this.handle(req));
  }

  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Issues a fresh callback URL (what Kakao puts in userRequest.callbackUrl). */
  newCallbackUrl(): string {
    const token = randomBytes(16).toString('hex');
    this.callbacks.set(token, { issuedAt: Date.now(), used: false });
    return `${this.http.url}/v1/callback/${token}`;
  }

  /** Bodies accepted on a callback URL. */
  accepted(url: string): unknown[] {
    const path = new URL(url).pathname;
    return this.http.requests
      .filter(
        (r) =>
          r.path === path &&
          r.reply?.status === 200 &&
          (r.reply.body as { status?: string }).status === 'SUCCESS',
      )
      .map((r) => r.body);
  }

  async waitForCallback(url: string, timeoutMs = 15_000): Promise<unknown> {
    const path = new URL(url).pathname;
    const [req] = await this.http.waitFor(
      (r) => r.path === path && (r.reply?.body as { status?: string } | undefined)?.status === 'SUCCESS',
      timeoutMs,
    );
    return req!.body;
  }

  /** Next POST to this callback URL answers with a server error. */
  failNext(url: string, status = 502): void {
    this.http.failNext(new URL(url).pathname, {
      status,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    });
  }

  private handle(req: RecordedRequest): FakeReply {
    const token = /^\/v1\/callback\/([0-9a-f]+)$/.exec(req.path)?.[1];
    const entry = token ? this.callbacks.get(token) : undefined;
    const answer = (status: 'SUCCESS' | 'FAIL' | 'ERROR', message: string | null, http = 200): FakeReply => ({
      status: http,
      body: { taskId: randomUUID(), status, message, timestamp: Date.now() },
    });
    if (req.method !== 'POST' || !entry) return answer('ERROR', 'invalid callback url', 404);
    if (entry.used) return answer('FAIL', 'callback already used');
    if (Date.now() - entry.issuedAt > this.validityMs) return answer('FAIL', 'callback expired');
    const problems = skillResponseProblems(req.body);
    if (problems.length) return answer('FAIL', `invalid skill response: ${problems.join('; ')}`, 400);
    entry.used = true;
    return answer('SUCCESS', null);
  }
}
