/**
 * The province mobile app channel: the resident app API (/api/app/v1) and its WebSocket stream.
 * Residents read replies through the API (long-poll or WebSocket) straight from the store, so this
 * adapter never pushes anything. The web chat widget is a client of the same API (channel 'webchat').
 */
import { z } from 'zod';
import type { ChannelAdapter, ChannelCapabilities, ChannelRuntime, SendResult } from '../../src/core/channel-port';
import { parseChannelEnv, withoutEmpty } from '../shared/channel-config';
import { registerAppApi, type AppApiSettings } from './app-api';
import { registerAppMediaApi } from './app-media-api';
import { APP_STREAM_PATH, AppStream } from './app-stream';

const schema = z.object({
  /** Seconds the long-poll may wait at most (validated with the service configuration too). */
  LONG_POLL_MAX_SECONDS: z.coerce.number().int().min(1).max(120).default(30),
  /** Days an app or web chat session may go unused before it stops working (0: never; validated with the service configuration too). */
  APP_SESSION_IDLE_DAYS: z.coerce.number().min(0).default(30),
  /** Open long-poll waits one instance holds at once (each token at most 3); more get 503/429 with Retry-After. */
  LONG_POLL_MAX_WAITS: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Requests per minute one app token may make (messages and reads together; all instances together with REDIS_URL). */
  APP_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Sessions one client address may open per minute. */
  APP_SESSIONS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
});

/** The app API's settings from the environment. */
export function appApiSettings(env: NodeJS.ProcessEnv): AppApiSettings {
  const parsed = parseChannelEnv('app', schema, withoutEmpty(env));
  return {
    longPollMaxSeconds: parsed.LONG_POLL_MAX_SECONDS,
    longPollMaxWaits: parsed.LONG_POLL_MAX_WAITS,
    sessionIdleMs: parsed.APP_SESSION_IDLE_DAYS * 86_400_000,
    requestsPerMinute: parsed.APP_REQUESTS_PER_MINUTE,
    sessionsPerMinute: parsed.APP_SESSIONS_PER_MINUTE,
  };
}

export class AppChannelAdapter implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities = {
    maxTextLength: 4000,
    maxQuickReplies: 10,
    maxButtonLabel: 40,
    images: true,
    delivery: 'pull',
  };

  /**
   * @param name 'app' serves the API; 'webchat' (the widget's conversations) only names the channel.
   * @param settings the API's settings; without them this adapter registers no routes.
   */
  constructor(
    readonly name: 'app' | 'webchat' = 'app',
    private readonly settings?: AppApiSettings,
  ) {}

  async start(runtime: ChannelRuntime): Promise<void> {
    if (!this.settings) return;
    registerAppApi(runtime, this.settings);
    registerAppMediaApi(runtime, this.settings);
    const stream = new AppStream({
      store: runtime.store,
      sessions: runtime.appSessions,
      events: runtime.events,
      logger: runtime.logger,
      sessionIdleMs: this.settings.sessionIdleMs,
    });
    runtime.upgrade(APP_STREAM_PATH, stream);
    runtime.gauge('dajeong_app_websockets', 'Resident WebSocket connections open on this instance', () => stream.connections);
  }

  async send(): Promise<SendResult> {
    // Pull channel: the stored message is the delivery.
    return { channelMessageIds: [] };
  }

  async stop(): Promise<void> {}
}
