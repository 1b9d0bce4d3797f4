/**
 * KakaoTalk through a Kakao i Open Builder skill server. Kakao POSTs each resident message and
 * waits 5 seconds for the answer; it cannot be pushed to later. So:
 *  - the message is stored, and the bot's answer is awaited for up to KAKAO_REPLY_WAIT_MS;
 *  - a slower answer goes to the single-use callbackUrl when Kakao gave one (`useCallback: true`
 *    now, the real answer POSTed within the minute);
 *  - everything not yet shown (late answers, counselor replies) is shown with the answer to the
 *    resident's next message or "check replies" press. A per-identity cursor in the store records
 *    what was shown, so nothing is lost across restarts.
 */
import { createHash, randomUUID } from 'node:crypto';
import type {
  ChannelAdapter,
  ChannelRuntime,
  DispatchResult,
  RawRequest,
  RawResponse,
  SendResult,
} from '../../src/core/channel-port';
import type { Logger } from '../../src/core/logger-port';
import type { Message } from '../../src/core/message';
import type { Translate } from '../../src/core/text-port';
import { KeyedLock } from '../shared/keyed-lock';
import { errorResponse, parseJsonBody } from '../shared/webhook-utils';
import { postCallback } from './kakao-callback';
import { kakaoConfig, type KakaoConfig } from './kakao-config';
import { KAKAO_CAPABILITIES, KAKAO_CHECK_PAYLOAD, renderKakao, type KakaoTemplate } from './kakao-render';
import {
  kakaoLanguage,
  kakaoPayload,
  kakaoRequestSchema,
  kakaoToCanonical,
  type KakaoRequest,
} from './kakao-to-canonical';
import { allowedCallbackUrl, kakaoUserKeys, keysMatch, verifyKakaoRequest, type KakaoUserKeys } from './kakao-verify';

export const KAKAO_SKILL_PATH = '/webhooks/kakao/:secret';
/** Callback URLs are valid for one minute; leave a margin for the POST itself. */
const CALLBACK_VALIDITY_MS = 55_000;
/** Kakao does not resend requests, but a proxy might: identical bodies this close together are one message. */
const DUPLICATE_WINDOW_MS = 10_000;

type Turn = DispatchResult & { replies: Message[]; complete: boolean };
/** What an answer says when it has no message to show. */
type FallbackKey = 'resident.kakao.received' | 'resident.kakao.preparing' | 'resident.kakao.nothingNew';

/** Registry factory: the adapter when KAKAO_SKILL_SECRET is set. */
export function kakaoFromEnv(env: NodeJS.ProcessEnv, logger: Logger, translate: Translate): KakaoAdapter | undefined {
  const config = kakaoConfig(env);
  return config && new KakaoAdapter(config, logger, translate);
}

export class KakaoAdapter implements ChannelAdapter {
  readonly name = 'kakao';
  readonly capabilities = KAKAO_CAPABILITIES;
  private runtime?: ChannelRuntime;
  /** One delivery at a time per resident, so two answers never show the same message. */
  private readonly lock = new KeyedLock();
  private readonly recentBodies = new Map<string, { id: string; at: number }>();
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly config: KakaoConfig,
    private log: Logger,
    private readonly translate: Translate,
  ) {}

  async start(runtime: ChannelRuntime): Promise<void> {
    if (!runtime.undelivered || !runtime.markDelivered)
      throw new Error('the KakaoTalk channel needs a runtime with undelivered/markDelivered');
    this.runtime = runtime;
    this.log = runtime.logger;
    runtime.route('post', KAKAO_SKILL_PATH, (req) => this.onSkill(req));
  }

  /** Never called for delivery ('pull' channel): answers carry undelivered messages instead. */
  async send(): Promise<SendResult> {
    return { channelMessageIds: [] };
  }

  async stop(): Promise<void> {
    // Let callbacks in flight finish (they are bounded by the callback deadline).
    await Promise.allSettled([...this.background]);
  }

  private async onSkill(req: RawRequest): Promise<RawResponse> {
    const verdict = verifyKakaoRequest(req, this.config.secret, this.config.allowedIps);
    if (verdict !== 'ok') {
      this.log.warn({ ip: req.ip, verdict }, 'rejected a KakaoTalk skill request');
      return verdict === 'ip_not_allowed'
        ? errorResponse(403, 'forbidden', 'caller address not allowed')
        : errorResponse(404, 'not_found', `No route for POST ${req.path}`);
    }
    const parsed = kakaoRequestSchema.safeParse(parseJsonBody(req));
    if (!parsed.success) {
      this.log.warn(
        { issues: parsed.error.issues.slice(0, 3) },
        'rejected a KakaoTalk skill request: not a skill payload',
      );
      return errorResponse(
        400,
        'validation',
        `not a Kakao skill request: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    }
    const request = parsed.data;
    const language = kakaoLanguage(request);
    const userId = request.userRequest.user.id;
    try {
      // The replies waiting for this user id are shown only to requests with the same user keys.
      const keys = kakaoUserKeys(request);
      const bound = (await this.runtime!.channelContext?.('kakao', userId))?.kakaoUserKeys as KakaoUserKeys | undefined;
      if (!keysMatch(bound, keys)) {
        this.log.warn({ ip: req.ip }, 'rejected a KakaoTalk skill request: its user keys do not match the conversation');
        return errorResponse(403, 'forbidden', 'user keys do not match this conversation');
      }
      if (kakaoPayload(request) === KAKAO_CHECK_PAYLOAD)
        return skillAnswer(await this.deliverNow(userId, language, 'resident.kakao.nothingNew'));
      return await this.answer(request, req.rawBody, language, { ...bound, ...keys });
    } catch (err) {
      // Kakao shows its own generic error for non-200 answers; ours says what to do.
      this.log.error({ err }, 'could not answer a KakaoTalk request');
      return skillAnswer({ outputs: [{ simpleText: { text: this.translate('resident.kakao.error', language) } }] });
    }
  }

  private async answer(request: KakaoRequest, rawBody: Buffer, language: string, keys: KakaoUserKeys): Promise<RawResponse> {
    const runtime = this.runtime!;
    const userId = request.userRequest.user.id;
    const given = request.userRequest.callbackUrl ?? undefined;
    const callbackUrl = allowedCallbackUrl(given, this.config.callbackHosts);
    if (given && !callbackUrl) this.log.warn({ host: hostOf(given) }, 'ignored a KakaoTalk callback URL outside KAKAO_CALLBACK_HOSTS');
    const receivedAt = Date.now();
    const inbound = {
      ...kakaoToCanonical(request, this.messageIdFor(given, rawBody)),
      // Binds the conversation to the request's user keys (they only ever get added to).
      channelContext: { kakaoUserKeys: keys },
    };

    if (!callbackUrl) {
      const turn = await runtime.dispatchAndWait(inbound, this.config.replyWaitMs);
      return skillAnswer(await this.deliverNow(userId, language, turn.complete ? 'resident.kakao.received' : 'resident.kakao.preparing'));
    }
    // With a callback URL the turn may run longer; answer inline if it is quick anyway.
    const turnPromise = runtime.dispatchAndWait(inbound, this.config.callbackWaitMs);
    const first = await Promise.race([
      turnPromise,
      sleep(this.config.replyWaitMs).then(() => 'slow' as const),
    ]);
    if (first !== 'slow') return skillAnswer(await this.deliverNow(userId, language, 'resident.kakao.received'));
    this.track(
      this.answerByCallback(turnPromise, callbackUrl, userId, language, receivedAt + CALLBACK_VALIDITY_MS),
    );
    return {
      status: 200,
      body: { version: '2.0', useCallback: true, data: { text: this.translate('resident.kakao.waiting', language) } },
    };
  }

  /** Renders everything not yet shown to this resident and records it as shown. */
  private deliverNow(userId: string, language: string, fallback: FallbackKey): Promise<KakaoTemplate> {
    return this.lock.run(userId, async () => {
      const pending = await this.runtime!.undelivered!('kakao', userId);
      const { template, delivered } = renderKakao(
        pending,
        this.translate,
        language,
        this.translate(fallback, language),
        checkButton(pending, this.translate(CHECK_LABEL, language), fallback),
      );
      await this.runtime!.markDelivered!(delivered);
      return template;
    });
  }

  private async answerByCallback(
    turn: Promise<Turn>,
    url: string,
    userId: string,
    language: string,
    deadline: number,
  ): Promise<void> {
    try {
      const result = await turn;
      await this.lock.run(userId, async () => {
        const pending = await this.runtime!.undelivered!('kakao', userId);
        const fallback: FallbackKey = result.complete ? 'resident.kakao.received' : 'resident.kakao.preparing';
        const { template, delivered } = renderKakao(
          pending,
          this.translate,
          language,
          this.translate(fallback, language),
          checkButton(pending, this.translate(CHECK_LABEL, language), fallback),
        );
        await postCallback(url, template, deadline);
        await this.runtime!.markDelivered!(delivered);
      });
    } catch (err) {
      // Nothing is lost: the messages stay undelivered and go out with the next answer.
      this.log.warn(
        { err: String(err) },
        'KakaoTalk callback failed; the answer waits for the resident’s next message',
      );
    }
  }

  /**
   * Kakao requests have no message id. A callback URL is unique per request; otherwise an identical
   * body seen moments ago is the same request again.
   */
  private messageIdFor(callbackUrl: string | undefined, rawBody: Buffer): string {
    if (callbackUrl) return `cb:${createHash('sha256').update(callbackUrl).digest('base64url').slice(0, 32)}`;
    const now = Date.now();
    for (const [key, seen] of this.recentBodies)
      if (now - seen.at > DUPLICATE_WINDOW_MS) this.recentBodies.delete(key);
    const key = createHash('sha256').update(rawBody).digest('base64url');
    const seen = this.recentBodies.get(key);
    if (seen) return seen.id;
    const id = `rq:${randomUUID()}`;
    this.recentBodies.set(key, { id, at: now });
    return id;
  }

  private track(work: Promise<void>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }
}

const CHECK_LABEL = 'resident.button.checkReplies';

/** Offers "check replies" when the resident waits for something not there yet. */
function checkButton(pending: Message[], label: string, fallback: FallbackKey) {
  return pending.length === 0 || fallback === 'resident.kakao.preparing'
    ? [{ label, payload: KAKAO_CHECK_PAYLOAD }]
    : [];
}

function skillAnswer(template: KakaoTemplate): RawResponse {
  return { status: 200, body: { version: '2.0', template } };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
