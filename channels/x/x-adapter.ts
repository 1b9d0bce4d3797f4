/**
 * X (Twitter) direct messages: the Account Activity API webhook (CRC check + signed events) in,
 * twitter-api-v2's `v2.sendDmToParticipant` out. Enabled only with all four credentials and
 * X_ENABLED not false; when switched off its routes are gone and its replies wait in the outbox.
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
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
import { describeBody } from '../shared/http-client';
import { PartProgress } from '../shared/part-progress';
import { networkFailure, permanentFailure, sendFailure } from '../shared/send-errors';
import { dispatchEvents, errorResponse, parseJsonBody, queryValue } from '../shared/webhook-utils';
import { baseUrlPlugin } from './x-base-url-plugin';
import { xConfig, type XConfig } from './x-config';
import { renderX, X_CAPABILITIES } from './x-render';
import { xBodySchema, xToCanonical } from './x-to-canonical';
import { crcResponse, isXCrcToken, verifyXSignature } from './x-verify';

export const X_WEBHOOK_PATH = '/webhooks/x';

/** Registry factory: the adapter when the X_* credentials are set and X_ENABLED is not false. */
export function xFromEnv(env: NodeJS.ProcessEnv, logger: Logger): XAdapter | undefined {
  const config = xConfig(env, logger);
  return config && new XAdapter(config, logger);
}

export class XAdapter implements ChannelAdapter {
  readonly name = 'x';
  readonly capabilities = X_CAPABILITIES;
  private readonly client: TwitterApi;
  private readonly progress = new PartProgress();
  private runtime?: ChannelRuntime;

  constructor(
    private readonly config: XConfig,
    private log: Logger,
  ) {
    const plugin = baseUrlPlugin(config.apiBase);
    this.client = new TwitterApi(
      {
        appKey: config.consumerKey,
        appSecret: config.consumerSecret,
        accessToken: config.accessToken,
        accessSecret: config.accessSecret,
      },
      { plugins: plugin ? [plugin] : [] },
    );
  }

  async start(runtime: ChannelRuntime): Promise<void> {
    this.runtime = runtime;
    this.log = runtime.logger;
    runtime.route('get', X_WEBHOOK_PATH, async (req) => this.onCrc(req));
    runtime.route('post', X_WEBHOOK_PATH, (req) => this.onEvents(req));
  }

  async send(target: SendTarget, messages: Message[]): Promise<SendResult> {
    const ids: string[] = [];
    for (const message of messages) {
      const texts = renderX(message.content);
      ids.push(
        ...(await this.progress.run(message.id, texts, (text) => this.sendDm(target.externalUserId, text))),
      );
    }
    return { channelMessageIds: ids };
  }

  async stop(): Promise<void> {}

  /** CRC: answered synchronously (X allows 3 s) from the consumer secret alone. */
  private onCrc(req: RawRequest): RawResponse {
    const token = queryValue(req, 'crc_token');
    if (!token) return errorResponse(400, 'validation', 'crc_token is required');
    if (!isXCrcToken(token)) {
      this.log.warn({ ip: req.ip, length: token.length }, 'refused an X CRC check: crc_token is not of X\'s form');
      return errorResponse(400, 'validation', 'crc_token must be 1-128 base64 characters');
    }
    return { status: 200, body: crcResponse(token, this.config.consumerSecret) };
  }

  private async onEvents(req: RawRequest): Promise<RawResponse> {
    if (!verifyXSignature(req, this.config.consumerSecret)) {
      this.log.warn(
        { ip: req.ip },
        'rejected an X webhook call: missing or wrong x-twitter-webhooks-signature',
      );
      return errorResponse(401, 'unauthorized', 'missing or wrong x-twitter-webhooks-signature');
    }
    const body = xBodySchema.safeParse(parseJsonBody(req));
    if (!body.success) {
      this.log.warn('rejected an X webhook call: not an Account Activity payload');
      return errorResponse(400, 'validation', 'body is not an Account Activity payload');
    }
    const failed = await dispatchEvents(this.runtime!, xToCanonical(body.data), this.log, 'X');
    if (failed) return failed;
    return { status: 200, body: { ok: true } };
  }

  private async sendDm(participantId: string, text: string): Promise<string[]> {
    try {
      const result = await this.client.v2.sendDmToParticipant(participantId, { text });
      return [result.dm_event_id];
    } catch (err) {
      throw xSendError(err);
    }
  }
}

/** Maps twitter-api-v2 errors; a 429's wait comes from x-rate-limit-reset (epoch seconds). */
export function xSendError(err: unknown): DajeongError {
  if (err instanceof ApiResponseError) {
    const detail =
      (err.data as { detail?: string; title?: string } | undefined)?.detail ?? describeBody(err.data);
    if (err.code === 401 || err.code === 403) {
      // Bad credentials, an unpaid plan or a resident who does not accept DMs: retrying will not help.
      return permanentFailure('x', `${err.code} ${detail}`, err.code === 401 ? 'unauthorized' : 'forbidden', {
        status: err.code,
      });
    }
    const reset = err.rateLimit?.reset;
    const retryAfterMs = err.code === 429 && reset ? Math.max(0, reset * 1000 - Date.now()) : undefined;
    return sendFailure('x', err.code, detail, { retryAfterMs });
  }
  if (err instanceof ApiRequestError || err instanceof ApiPartialResponseError)
    return networkFailure('x', err);
  return networkFailure('x', err);
}
