/**
 * Microsoft Bot Framework (Teams, Web Chat / Direct Line, Emulator...) through botbuilder's
 * CloudAdapter with ConfigurationBotFrameworkAuthentication. Kept thin on purpose: the SDK is
 * archived upstream, so only this folder knows it. Inbound activities are authenticated by the
 * SDK (401 without a valid token when an app id is configured) and stored with their conversation
 * reference; replies and the handoff.initiate event go out with continueConversationAsync.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  EventFactory,
  type Activity,
  type ConversationReference,
  type Request as BfRequest,
  type Response as BfResponse,
  type TurnContext,
} from 'botbuilder';
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
import { PartProgress } from '../shared/part-progress';
import {
  isSendFailure,
  networkFailure,
  parseRetryAfter,
  permanentFailure,
  sendFailure,
} from '../shared/send-errors';
import { errorResponse, parseJsonBody } from '../shared/webhook-utils';
import { botFrameworkConfig, type BotFrameworkConfig } from './botframework-config';
import { BOTFRAMEWORK_CAPABILITIES, renderBotFramework } from './botframework-render';
import { botFrameworkToCanonical, REFERENCE_KEY } from './botframework-to-canonical';

export const BOTFRAMEWORK_PATH = '/api/messages';
/** A user's activity is a few kilobytes; attachments come as URLs. */
const MAX_ACTIVITY_BYTES = 256 * 1024;
/** The shape of a JWT bearer token (three base64url parts); anything else is refused before the body is read. */
const BEARER_JWT = /^Bearer [A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{0,4096}$/;

/** Registry factory: the adapter when MicrosoftAppId is present in the environment. */
export function botFrameworkFromEnv(
  env: NodeJS.ProcessEnv,
  logger: Logger,
): BotFrameworkChannelAdapter | undefined {
  const config = botFrameworkConfig(env);
  return config && new BotFrameworkChannelAdapter(config, logger);
}

export class BotFrameworkChannelAdapter implements ChannelAdapter {
  readonly name = 'botframework';
  readonly capabilities = BOTFRAMEWORK_CAPABILITIES;
  private readonly cloud: CloudAdapter;
  private readonly progress = new PartProgress();
  private readonly requestScope = new AsyncLocalStorage<{ tokenRejected?: string }>();
  private runtime?: ChannelRuntime;

  constructor(
    private readonly config: BotFrameworkConfig,
    private log: Logger,
  ) {
    // Note: the connector client retries 5xx/429 itself (Azure core pipeline, about 3 tries with
    // backoff, honouring Retry-After) before an error reaches the outbox, which then retries too.
    const auth = new ConfigurationBotFrameworkAuthentication(config.auth);
    // botbuilder answers 500 when jsonwebtoken rejects a token (bad signature, expired): note
    // such rejections for the current request so onActivity can answer 401 as for a missing token.
    const authenticate = auth.authenticateRequest.bind(auth);
    auth.authenticateRequest = async (activity, authHeader) => {
      try {
        return await authenticate(activity, authHeader);
      } catch (err) {
        const request = this.requestScope.getStore();
        if (request && isTokenRejection(err)) request.tokenRejected = String((err as Error).message);
        throw err;
      }
    };
    this.cloud = new CloudAdapter(auth);
  }

  async start(runtime: ChannelRuntime): Promise<void> {
    this.runtime = runtime;
    this.log = runtime.logger;
    if (this.config.authDisabled)
      this.log.warn(
        'Bot Framework authentication is OFF (empty MicrosoftAppId): for local use with the Emulator only',
      );
    runtime.route('post', BOTFRAMEWORK_PATH, (req) => this.onActivity(req), {
      maxBodyBytes: MAX_ACTIVITY_BYTES,
      // The token is verified fully (signature, audience, issuer, service URL) with the activity;
      // a request without one of the right form is refused before its body is even read.
      precheck: (headers) => {
        if (this.config.authDisabled || BEARER_JWT.test(String(headers.authorization ?? ''))) return undefined;
        this.log.warn({}, 'rejected a Bot Framework activity: missing or malformed token');
        return errorResponse(401, 'unauthorized', 'missing or malformed bearer token');
      },
    });
  }

  async send(target: SendTarget, messages: Message[]): Promise<SendResult> {
    const reference = referenceOf(target);
    const ids: string[] = [];
    for (const message of messages) {
      const activities = renderBotFramework(message);
      await this.continueConversation(reference, async (ctx) => {
        ids.push(
          ...(await this.progress.run(message.id, activities, async (a) => [
            (await ctx.sendActivity(a))?.id ?? '',
          ])),
        );
      });
    }
    return { channelMessageIds: ids.filter(Boolean) };
  }

  /** Emits the standard handoff.initiate event with the transcript so a Bot Framework host can route it. */
  async onEscalated(target: SendTarget, transcript: Message[]): Promise<void> {
    const reference = referenceOf(target);
    await this.continueConversation(reference, async (ctx) => {
      const event = EventFactory.createHandoffInitiation(
        ctx,
        { conversationId: target.conversationId, skill: 'counselor' },
        { activities: transcript.map((m) => transcriptActivity(m, reference)) },
      );
      await ctx.sendActivity(event);
    });
  }

  async stop(): Promise<void> {}

  private async onActivity(req: RawRequest): Promise<RawResponse> {
    const body = parseJsonBody(req);
    if (!body || typeof body !== 'object') return errorResponse(400, 'validation', 'body is not an activity');
    const captured: RawResponse = { status: 200 };
    const res: BfResponse = {
      socket: undefined,
      status: (code: number) => {
        captured.status = code;
      },
      header: (name: string, value: unknown) => {
        (captured.headers ??= {})[name] = String(value);
      },
      send: (payload: unknown) => {
        captured.body = payload;
      },
      end: () => undefined,
    };
    const request: BfRequest = {
      method: 'POST',
      headers: req.headers,
      body: body as Record<string, unknown>,
    };
    const scope: { tokenRejected?: string } = {};
    await this.requestScope.run(scope, () => this.cloud.process(request, res, (ctx) => this.onTurn(ctx)));
    if (scope.tokenRejected) {
      captured.status = 401;
      captured.body = `Unauthorized: ${scope.tokenRejected}`;
    }
    if (captured.status === 401)
      this.log.warn({ ip: req.ip }, 'rejected a Bot Framework activity: missing or invalid token');
    if (typeof captured.body === 'string')
      captured.body = {
        error: { code: captured.status === 401 ? 'unauthorized' : 'error', message: captured.body },
      };
    return captured;
  }

  /** Stores message activities; the reply goes out later through the outbox. */
  private async onTurn(ctx: TurnContext): Promise<void> {
    const inbound = botFrameworkToCanonical(ctx.activity);
    if (!inbound) {
      this.log.debug({ type: ctx.activity.type }, 'Bot Framework activity ignored');
      return;
    }
    await this.runtime!.dispatch(inbound);
  }

  private async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    try {
      await this.cloud.continueConversationAsync(this.config.appId, reference, async (ctx) => {
        // A proactive turn would reply to its own synthetic activity; reply to the resident's instead
        // (POST v3/conversations/{id}/activities/{replyToId}), which channels thread correctly.
        ctx.onSendActivities(async (_ctx, activities, next) => {
          if (reference.activityId) for (const a of activities) a.replyToId = reference.activityId;
          return next();
        });
        await logic(ctx);
      });
    } catch (err) {
      throw botFrameworkSendError(err);
    }
  }
}

/** jsonwebtoken's rejections of a token (as opposed to, say, the key endpoint being down). */
function isTokenRejection(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return (
    name === 'JsonWebTokenError' ||
    name === 'TokenExpiredError' ||
    name === 'NotBeforeError' ||
    (err as { statusCode?: number })?.statusCode === 401
  );
}

function referenceOf(target: SendTarget): Partial<ConversationReference> {
  const reference = target.channelContext?.[REFERENCE_KEY] as Partial<ConversationReference> | undefined;
  if (!reference?.serviceUrl || !reference.conversation?.id) {
    throw permanentFailure(
      'botframework',
      'no conversation reference stored for this conversation',
      'no_reference',
    );
  }
  return reference;
}

function transcriptActivity(message: Message, reference: Partial<ConversationReference>): Activity {
  const resident = message.direction === 'inbound';
  return {
    type: 'message',
    id: message.id,
    timestamp: message.createdAt,
    text: message.content.text ?? '',
    from: resident
      ? reference.user
      : {
          id: reference.bot?.id ?? 'bot',
          name: message.author === 'counselor' ? 'counselor' : reference.bot?.name,
          role: 'bot',
        },
    conversation: reference.conversation,
  } as Activity;
}

/** Maps connector failures (RestError-like: statusCode, response headers) to retryable or not. */
export function botFrameworkSendError(err: unknown): DajeongError {
  if (isSendFailure(err)) return err;
  const e = err as {
    statusCode?: number;
    message?: string;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  if (typeof e?.statusCode === 'number') {
    return sendFailure('botframework', e.statusCode, e.message ?? 'connector error', {
      retryAfterMs: parseRetryAfter(e.response?.headers?.get?.('retry-after')),
    });
  }
  return networkFailure('botframework', err);
}
