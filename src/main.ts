/** Composition root: reads configuration, builds every part, starts HTTP. */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { createChannels } from '../channels/registry';
import type { ChannelRuntime } from './core/channel-port';
import { surveyAwaiting } from './core/crisis-port';
import type { Logger } from './core/logger-port';
import { LOGIN_ATTEMPT_WINDOW_MS } from './core/login-attempt-port';
import type { Store } from './core/store-port';
import { loadConfig, type Config } from './config';
import { installConsole } from './console/install-console';
import { createHandoff } from './handoff/handoff-module';
import { appApiRouter } from './http/app-api';
import { appMediaApiRouter } from './http/app-media-api';
import { InProcessEventBus } from './events/in-process-bus';
import { AppStream } from './http/app-stream';
import { channelRoute } from './http/channel-routes';
import { healthRouter } from './http/health';
import { yieldToLoop } from './jobs/yield-to-loop';
import { eventLoopRouter } from './http/event-loop-route';
import { errorHandler, notFoundHandler } from './http/http-errors';
import { metricsRouter, readGauge } from './http/metrics';
import { LongPollSlots } from './http/long-poll-slots';
import { jsonWithRawBody } from './http/raw-body';
import { createKnowledgeModule } from './knowledge/knowledge-module';
import { EventLoopMonitor } from './event-loop-monitor';
import { createTransitModule, type TransitModule } from './transit/transit-module';
import { i18nRouter } from './i18n/i18n-routes';
import { catalog, translate } from './i18n/translate';
import { createLogger } from './logger';
import { installProcessGuard } from './process-guard';
import { LexiconAbuseDetector } from './nlu/lexicon-abuse-detector';
import { NluService } from './nlu/nlu-service';
import { MemoryStore } from './store/memory-store';
import { RetentionSweeper } from './store/retention-sweeper';
import { ChannelDirectory } from './turn/channel-directory';
import { Gateway } from './turn/gateway';
import { identityChannelContext } from './turn/identity-context';
import { MessageBus } from './turn/message-bus';
import { OutboxWorker } from './turn/outbox-worker';
import { answerIntentStep } from './turn/steps/answer-intent';
import { crisisGuardStep } from './turn/steps/crisis-guard';
import { detectLanguageStep } from './turn/steps/detect-language';
import { routeToOwnerStep } from './turn/steps/route-to-owner';
import { understandStep } from './turn/steps/understand';
import { UnhandledTurnRetry } from './turn/unhandled-turn-retry';

/** Resident app API bodies: text up to 4,000 characters and small inline images; photos go through POST /media. */
const APP_API_BODY_LIMIT = '64kb';

function packageVersion(rootDir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface Service {
  config: Config;
  url: string;
  server: http.Server;
  store: Store;
  gateway: Gateway;
  bus: MessageBus;
  nlu: NluService;
  channels: ChannelDirectory;
  logger: Logger;
  transit: TransitModule;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** The clock of time-dependent answers (transit); tests fix "today" with it. */
  now?: () => Date;
}

async function createStore(config: Config, logger: Logger): Promise<Store> {
  if (!config.MONGODB_URI) {
    logger.warn('MONGODB_URI is not set: using the in-memory store; data is NOT durable and is lost on restart');
    return new MemoryStore();
  }
  // Loaded only when configured, so the embedded default never loads the MongoDB driver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MongoStore } = require('./store/mongo/mongo-store') as {
    MongoStore: { connect(uri: string, options: { logger: Logger; serverSelectionTimeoutMS: number }): Promise<Store> };
  };
  return MongoStore.connect(config.MONGODB_URI, { logger, serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS });
}

/** Builds and starts the whole service; `close()` shuts it down gracefully. */
export async function createService(overrides: ServiceOverrides = {}): Promise<Service> {
  const env = overrides.env ?? process.env;
  const config = loadConfig(env);
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const loop = new EventLoopMonitor({ logger: logger.child({ component: 'event-loop' }) }).start();
  const store = overrides.store ?? (await createStore(config, logger));
  const bus = new MessageBus();
  const events = new InProcessEventBus(logger);
  const nlu = new NluService(config.intentsDir, logger);
  await yieldToLoop(); // Start-up wiring runs in several turns, none long.
  // Eager but in the background: the lexical classifier answers until the encoder is loaded and trained.
  void nlu.start({ modelDir: config.modelDir, mode: config.NLU_MODE, cacheDir: config.cacheDir, watch: true, threads: config.NLU_THREADS });
  // Until a learned abuse detector is installed, the lexicon shields counselors from insults.
  nlu.abuse ??= LexiconAbuseDetector.fromFile(path.join(config.intentsDir, 'lexicons', 'abuse.json'));
  const channels = new ChannelDirectory();
  const outbox = new OutboxWorker(store, channels, logger.child({ component: 'outbox' }), {
    pollMs: config.OUTBOX_POLL_MS,
    baseDelayMs: config.OUTBOX_BASE_DELAY_MS,
    maxDelayMs: config.OUTBOX_MAX_DELAY_MS,
  });

  await yieldToLoop();
  const handoff = createHandoff({ store, bus, channels, gateway: () => gateway, config, logger: logger.child({ component: 'handoff' }) });
  const kb = createKnowledgeModule({ store, nlu, config, gateway: () => gateway, logger: logger.child({ component: 'knowledge' }), version: packageVersion(config.rootDir) });
  const transit = createTransitModule({ config, logger: logger.child({ component: 'transit' }), notices: kb.notices, ...(overrides.now && { now: overrides.now }) });
  // In the background: a large feed takes a while, and the service answers without it meanwhile.
  void transit.start();
  const gateway = new Gateway({
    store,
    bus,
    channels,
    outbox,
    logger: logger.child({ component: 'gateway' }),
    steps: [
      detectLanguageStep(nlu.language),
      understandStep({
        classifier: () => nlu.classifier(),
        crisis: nlu.crisis,
        abuse: nlu.abuse,
        judge: nlu.crisisJudge,
        awaiting: async (ctx) => surveyAwaiting(await store.surveys.findPending(ctx.conversation.channel, ctx.conversation.externalUserId, new Date())),
      }),
      handoff.step,
      kb.crisisPauseStep,
      crisisGuardStep(),
      routeToOwnerStep(),
      kb.flowStep,
      transit.step,
      kb.faqStep,
      answerIntentStep(() => nlu.definitions(), {
        minConfidence: 0.35,
        // Degraded (lexical) understanding misses more: offer a counselor after the first miss.
        get missesBeforeOffer() {
          return nlu.isDegraded() ? 1 : 2;
        },
      }),
    ],
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/api', helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }, hsts: false }));
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(eventLoopRouter(loop));
  app.use(healthRouter({
    checks: {
      store: async () => ({ ok: await store.healthy(), kind: store.kind, durable: store.durable }),
      // Not ready while the transformer loads or trains (or the first index builds), unless serving degraded.
      nlu: async () => {
        const status = nlu.status();
        return { ...status, ok: status.ready && (!status.loading || config.NLU_SERVE_DEGRADED) };
      },
      knowledge: async () => {
        const status = kb.status();
        return { ...status, ok: status.ready && (!status.loading || config.NLU_SERVE_DEGRADED) };
      },
      transit: async () => ({ ...transit.status() }),
    },
  }));
  const metrics = metricsRouter(bus, { token: config.METRICS_TOKEN, open: !config.production });
  app.use(metrics.router);
  const longPollSlots = new LongPollSlots(config.LONG_POLL_MAX_WAITS);
  readGauge(metrics.registry, 'dajeong_long_poll_open_waits', 'Open long-poll waits on this instance', () => longPollSlots.size);
  if (config.production && !config.METRICS_TOKEN) logger.warn('/metrics is off: set METRICS_TOKEN to let a scraper read it');

  // Channel webhooks take raw bytes (signatures), so they are mounted before the JSON parser.
  const channelRouter = express.Router();
  app.use(channelRouter);
  app.use('/api/app/v1', jsonWithRawBody(APP_API_BODY_LIMIT), appApiRouter({ store, gateway, bus, longPollMaxSeconds: config.LONG_POLL_MAX_SECONDS, waits: longPollSlots, version: packageVersion(config.rootDir), sessionIdleMs: config.APP_SESSION_IDLE_DAYS * 86_400_000 }));

  app.use('/api/app/v1', appMediaApiRouter({ store, events, dispatch: (inbound) => gateway.dispatch(inbound) }));

  const fetchMedia = async (channel: string, ref: string, maxBytes: number) => channels.get(channel)?.fetchMedia?.(ref, maxBytes);
  await yieldToLoop();
  const consoleServer = await installConsole(app, { config, store, bus, handoff, logger: logger.child({ component: 'console' }), version: packageVersion(config.rootDir), workspace: { events, fetchMedia } });

  const runtime: ChannelRuntime = {
    dispatch: (inbound) => gateway.dispatch(inbound),
    dispatchAndWait: (inbound, waitMs) => gateway.dispatchAndWait(inbound, waitMs),
    route: (method, path, handler, options) => channelRoute(channelRouter, method, path, handler, logger, options),
    serveStatic: (urlPath, dir) => {
      // Residents' pages may be embedded by the province's sites (WEBCHAT_FRAME_ANCESTORS).
      const csp = helmet({
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            connectSrc: ["'self'", 'ws:', 'wss:'],
            imgSrc: ["'self'", 'data:', 'https:'],
            frameAncestors: config.WEBCHAT_FRAME_ANCESTORS.split(/\s+/).filter(Boolean),
          },
        },
        frameguard: false,
        hsts: false,
        // embed.js is loaded by other sites' pages.
        crossOriginResourcePolicy: { policy: 'cross-origin' },
      });
      channelRouter.use(urlPath, csp, express.static(dir, { index: 'index.html', maxAge: '5m' }));
    },
    logger,
    undelivered: (channel, externalUserId) => gateway.undelivered(channel, externalUserId),
    markDelivered: (messages) => gateway.markDelivered(messages),
    channelContext: (channel, externalUserId) => identityChannelContext(store, channel, externalUserId),
    noteForStaff: (conversationId, text) => gateway.noteForStaff(conversationId, text),
  };
  for (const adapter of createChannels(env, logger, translate)) {
    channels.add(adapter);
    await adapter.start({ ...runtime, logger: logger.child({ channel: adapter.name }) });
  }
  app.use('/api/admin/v1', transit.adminRouter);
  app.use('/api/admin/v1', kb.adminRouter);
  // Browser UIs' texts (web chat, console): GET /i18n/<namespace>/<lang>.json.
  app.use(i18nRouter(catalog));
  app.get('/', (_req, res) => res.redirect('/webchat/'));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  const server = http.createServer(app);
  const stream = new AppStream({ store, bus, logger, events, sessionIdleMs: config.APP_SESSION_IDLE_DAYS * 86_400_000 });
  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error handler from upgraded sockets; a reset during the (async) handshake
    // must not become an uncaught error.
    socket.on('error', (err) => logger.debug({ err }, 'upgrade socket error'));
    if (req.url?.split('?')[0] === '/api/app/v1/stream') stream.handleUpgrade(req, socket, head);
    else if (!consoleServer.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  // Requests can wait on the loop only from here: the monitor's window starts when the server listens
  // (module loading and wiring before it delay the first answer, not an answer).
  loop.reset();
  // Serving already (probes answer) while the NLU and FAQ index threads fit the lexical parts.
  try {
    await kb.start();
    await nlu.ready();
  } catch (err) {
    server.close();
    await kb.close();
    await nlu.close();
    throw err;
  }
  outbox.start();
  handoff.start();
  const sweeper = new RetentionSweeper({
    store,
    retentionMs: config.RETENTION_DAYS * 86_400_000,
    loginAttemptMaxAgeMs: LOGIN_ATTEMPT_WINDOW_MS,
    ...(config.APP_SESSION_IDLE_DAYS > 0 && { appSessionIdleMs: config.APP_SESSION_IDLE_DAYS * 86_400_000 }),
    logger: logger.child({ component: 'retention' }),
  });
  sweeper.start();
  const recovered = await gateway.recoverUnhandled(new Date(Date.now() - 24 * 3600_000));
  if (recovered) logger.info({ recovered }, 'resumed turns of messages stored before a restart');
  // While running too: a turn a database outage interrupted is run again once the store answers.
  const turnRetry = new UnhandledTurnRetry({
    messages: store.messages,
    retry: (message) => gateway.retryTurn(message),
    logger: logger.child({ component: 'turn-retry' }),
    retryAfterMs: config.TURN_RETRY_SECONDS * 1000,
    ownerId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  turnRetry.start();
  logger.info({ url, store: store.kind, nlu: nlu.status(), channels: channels.all().map((c) => c.name) }, 'Dajeong is up');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down: finishing in-flight work');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      turnRetry.stop();
      await gateway.drain(config.SHUTDOWN_GRACE_MS);
      await stream.close();
      await consoleServer.close();
      server.closeAllConnections();
      await serverClosed;
      await outbox.stop();
      await sweeper.stop();
      await handoff.stop();
      for (const adapter of channels.all()) await adapter.stop();
      transit.close();
      await kb.close();
      await nlu.close();
      await store.close();
      loop.stop();
      logger.info('shutdown complete');
    })());

  return { config, url, server, store, gateway, bus, nlu, channels, logger, transit, close };
}

if (require.main === module) {
  installProcessGuard(createLogger(process.env.LOG_LEVEL ?? 'info'));
  createService()
    .then((service) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          service.close().then(
            () => process.exit(0),
            (err) => {
              service.logger.error({ err }, 'shutdown failed');
              process.exit(1);
            },
          );
        });
      }
    })
    .catch((err) => {
      console.error(JSON.stringify({ level: 'fatal', msg: 'Dajeong failed to start', error: String(err?.stack ?? err) }));
      process.exit(1);
    });
}
