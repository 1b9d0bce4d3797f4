/**
 * Facebook Messenger through the Graph Send API. Webhook events are verified with
 * X-Hub-Signature-256 over the raw body, stored (deduplicated on message.mid) and acknowledged
 * with 200 before any bot work. Replies respect the 24-hour window, and counselor replies use the
 * HUMAN_AGENT tag for up to 7 days; a reply beyond that is kept as failed and counselors are told.
 */
import type {
  ChannelAdapter,
  ChannelRuntime,
  RawRequest,
  RawResponse,
  SendResult,
  SendTarget,
} from '../../src/core/channel-port';
import type { DajeongError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger-port';
import type { Message } from '../../src/core/message';
import type { Translate } from '../../src/core/text-port';
import { describeBody, requestJson, type JsonResponse } from '../shared/http-client';
import { PartProgress } from '../shared/part-progress';
import { isRetryableStatus, parseRetryAfter, permanentFailure, sendFailure } from '../shared/send-errors';
import { dispatchEvents, errorResponse, parseJsonBody } from '../shared/webhook-utils';
import { messengerConfig, type MessengerConfig } from './messenger-config';
import { renderMessenger, MESSENGER_CAPABILITIES, type MessengerMessage } from './messenger-render';
import { messengerBodySchema, messengerToCanonical } from './messenger-to-canonical';
import { appSecretProof, messengerChallenge, verifyMessengerSignature } from './messenger-verify';
import { HUMAN_AGENT_WINDOW_HOURS, messagingPolicy, type MessagingPolicy } from './messenger-window';

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';

/** Graph error codes that mean "slow down" (often sent with HTTP 400, not 429). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
/** Graph error codes for a temporary server-side problem. */
const TRANSIENT_CODES = new Set([1, 2]);

/** Registry factory: the adapter when the MESSENGER_* credentials are set. */
export function messengerFromEnv(env: NodeJS.ProcessEnv, logger: Logger, translate: Translate): MessengerAdapter | undefined {
  const config = messengerConfig(env);
  return config && new MessengerAdapter(config, logger, translate);
}

export class MessengerAdapter implements ChannelAdapter {
  readonly name = 'messenger';
  readonly capabilities = MESSENGER_CAPABILITIES;
  private readonly progress = new PartProgress();
  private runtime?: ChannelRuntime;

  constructor(
    private readonly config: MessengerConfig,
    private log: Logger,
    private readonly translate: Translate,
  ) {}

  async start(runtime: ChannelRuntime): Promise<void> {
    this.runtime = runtime;
    this.log = runtime.logger;
    runtime.route('get', MESSENGER_WEBHOOK_PATH, async (req) => this.onSubscribe(req));
    runtime.route('post', MESSENGER_WEBHOOK_PATH, (req) => this.onEvents(req));
  }

  async send(target: SendTarget, messages: Message[]): Promise<SendResult> {
    const ids: string[] = [];
    for (const message of messages) {
      const policy = messagingPolicy(message.author, target.lastInboundAt);
      if ('closed' in policy) throw await this.windowClosed(target, message, policy.hoursSinceResident);
      const parts = renderMessenger(message.content);
      ids.push(
        ...(await this.progress.run(message.id, parts, (part) => this.post(target, message, policy, part))),
      );
    }
    return { channelMessageIds: ids };
  }

  async stop(): Promise<void> {}

  private onSubscribe(req: RawRequest): RawResponse {
    const challenge = messengerChallenge(req, this.config.verifyToken);
    if (challenge === undefined) {
      this.log.warn(
        { ip: req.ip, mode: req.query['hub.mode'] },
        'refused a Messenger subscription request: wrong verify token',
      );
      return errorResponse(403, 'forbidden', 'verify token does not match');
    }
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
  }

  private async onEvents(req: RawRequest): Promise<RawResponse> {
    if (!verifyMessengerSignature(req, this.config.appSecret)) {
      this.log.warn(
        { ip: req.ip },
        'rejected a Messenger webhook call: missing or wrong X-Hub-Signature-256',
      );
      return errorResponse(401, 'unauthorized', 'missing or wrong X-Hub-Signature-256');
    }
    const body = messengerBodySchema.safeParse(parseJsonBody(req));
    if (!body.success) {
      this.log.warn('rejected a Messenger webhook call: not a webhook body');
      return errorResponse(400, 'validation', 'body is not a Messenger webhook payload');
    }
    const failed = await dispatchEvents(this.runtime!, messengerToCanonical(body.data), this.log, 'Messenger');
    if (failed) return failed;
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'EVENT_RECEIVED' };
  }

  private async post(
    target: SendTarget,
    message: Message,
    policy: Exclude<MessagingPolicy, { closed: true }>,
    part: MessengerMessage,
  ): Promise<string[]> {
    const url = new URL(`${this.config.apiBase}/${this.config.apiVersion}/me/messages`);
    url.searchParams.set('access_token', this.config.pageToken);
    url.searchParams.set('appsecret_proof', appSecretProof(this.config.appSecret, this.config.pageToken));
    const res = await requestJson('messenger', url.toString(), {
      body: { recipient: { id: target.externalUserId }, ...policy, message: part },
    });
    if (res.status >= 200 && res.status < 300) {
      const id = (res.body as { message_id?: string } | undefined)?.message_id;
      return id ? [id] : [];
    }
    const error = graphError(res);
    if (error.code === 10 && error.subcode === 2018278) {
      const hours = target.lastInboundAt
        ? (Date.now() - target.lastInboundAt.getTime()) / 3_600_000
        : Number.NaN;
      throw await this.windowClosed(target, message, hours);
    }
    throw messengerSendError(res, error);
  }

  /**
   * Keeps the reply (the outbox marks it failed for good); a counselor's reply also leaves a note in
   * the conversation so the counselor sees it was not delivered. Bot and system messages (e.g.
   * queue notices) are only logged, so a stale chat does not fill up with notes.
   */
  private async windowClosed(target: SendTarget, message: Message, hours: number): Promise<DajeongError> {
    // A staff note: the staff default language (Korean).
    const since = Number.isFinite(hours)
      ? this.translate('staff.messenger.since', undefined, { days: Math.floor(hours / 24), hours: Math.floor(hours % 24) })
      : this.translate('staff.messenger.sinceUnknown', undefined);
    const rule =
      message.author === 'counselor'
        ? this.translate('staff.messenger.ruleCounselor', undefined, { days: HUMAN_AGENT_WINDOW_HOURS / 24 })
        : this.translate('staff.messenger.ruleBot', undefined);
    const note = this.translate('staff.messenger.windowClosedNote', undefined, { rule, since });
    this.log.warn(
      { conversationId: target.conversationId, messageId: message.id, author: message.author, hours },
      'Messenger reply window closed; reply kept as failed',
    );
    if (message.author === 'counselor') {
      try {
        await this.runtime?.noteForStaff?.(target.conversationId, note);
      } catch (err) {
        this.log.error({ err }, 'could not add the window-closed note');
      }
    }
    return permanentFailure(
      'messenger',
      `reply window closed (${since} since the resident's last message)`,
      'reply_window_closed',
      {
        messageId: message.id,
      },
    );
  }
}

interface GraphError {
  message: string;
  code?: number;
  subcode?: number;
  transient: boolean;
}

function graphError(res: JsonResponse): GraphError {
  const e = (
    res.body as
      | { error?: { message?: string; code?: number; error_subcode?: number; is_transient?: boolean } }
      | undefined
  )?.error;
  return {
    message: e?.message ?? describeBody(res.body),
    code: e?.code,
    subcode: e?.error_subcode,
    transient: e?.is_transient === true,
  };
}

/** Classifies a Graph API error answer (rate limits often come as 400 with code 613). */
function messengerSendError(res: JsonResponse, error: GraphError): DajeongError {
  const rateLimited = res.status === 429 || (error.code !== undefined && RATE_LIMIT_CODES.has(error.code));
  const retryable =
    rateLimited ||
    isRetryableStatus(res.status) ||
    error.transient ||
    (error.code !== undefined && TRANSIENT_CODES.has(error.code));
  return sendFailure(
    'messenger',
    res.status,
    `${error.message}${error.code ? ` (code ${error.code}${error.subcode ? `/${error.subcode}` : ''})` : ''}`,
    {
      retryable,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
      graphCode: error.code,
    },
  );
}
