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
import { classifyInTurn } from './core/turn-encoder-memo';
import { withoutShortTextCrisis } from './core/nlu-port';
import type { EventBus } from './core/event-port';
import type { Logger } from './core/logger-port';
import { LOGIN_ATTEMPT_WINDOW_MS } from './core/login-attempt-port';
import type { Store } from './core/store-port';
import { loadConfig, type Config } from './config';
import { installConsole } from './console/install-console';
import { createHandoff } from './handoff/handoff-module';
import { ChannelHost } from './http/channel-host';
import { eventLoopRouter } from './http/event-loop-route';
import { healthRouter } from './http/health';
import { errorHandler, notFoundHandler } from './http/http-errors';
import { metricsRouter, readGauge } from './http/metrics';
import { requestIds } from './http/request-id';
import { httpMetrics, prometheusTelemetry, storeGauges } from './http/service-metrics';
import { createAdminModule } from './admin/admin-module';
import { markHearingImpairedStep, signLanguageStep } from './accessibility/sign-language-step';
import { writeStoredIntents } from './admin/intent-admin';
import { EventLoopMonitor } from './event-loop-monitor';
import { createFlowModule } from './flows/flow-module';
import { createKnowledgeModule } from './knowledge/knowledge-module';
import { NoticeService } from './notices/notice-service';
import { TicketService } from './tickets/ticket-service';
import { BusDataReloads } from './events/bus-data-reloads';
import { createEventBus } from './events/event-bus-factory';
import { createRateLimitStores } from './http/rate-limit-store';
import { yieldToLoop } from './jobs/yield-to-loop';
import { createTransitModule, type TransitModule } from './transit/transit-module';
import { i18nRouter } from './i18n/i18n-routes';
import { catalog, translate } from './i18n/translate';
import { REQUIRED_LANGUAGES } from './i18n/locales';
import { createLogger } from './logger';
import { installProcessGuard } from './process-guard';
import { faqIntentExamples } from './nlu/intent-data';
import { LexiconAbuseDetector } from './nlu/lexicon-abuse-detector';
import { warmUp, warmUpSamples } from './nlu/nlu-warm-up';
import { NluService } from './nlu/nlu-service';
import { MemoryStore } from './store/memory-store';
import { RetentionSweeper } from './store/retention-sweeper';
import { ChannelDirectory } from './turn/channel-directory';
import { Delivery } from './turn/delivery';
import { Inbound } from './turn/inbound';
import { offeredButtons } from './turn/offered-press';
import { OutboxWorker } from './turn/outbox-worker';
import { turnPipeline } from './turn/pipeline';
import { answerIntentStep } from './turn/steps/answer-intent';
import { crisisGuardStep } from './turn/steps/crisis-guard';
import { detectLanguageStep } from './turn/steps/detect-language';
import { languageNoticeStep } from './turn/steps/language-notice';
import { understandStep } from './turn/steps/understand';
import { TurnRunner } from './turn/turn-runner';
import { UnhandledTurnRetry } from './turn/unhandled-turn-retry';

/** Classifier confidence that starts a flow or lets an intent step answer. */
const MIN_INTENT_CONFIDENCE = 0.35;
/** A mid-flow message must be clearer than that to count as a different question. */
const INTERRUPT_CONFIDENCE = 0.6;

function packageVersion(rootDir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface Service {
  config: Config;
  url: string;
  server: http.Server;
  store: Store;
  /** Stores and delivers outbound messages (counselor replies, notices...). */
  outbound: Delivery;
  /** Takes resident messages in (what channels call). */
  inbound: Inbound;
  bus: EventBus;
  nlu: NluService;
  channels: ChannelDirectory;
  logger: Logger;
  transit: TransitModule;
  /** Settles when the NLU warm-up has run; `/readyz` is not ready before. */
  warmedUp: Promise<void>;
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
  const version = packageVersion(config.rootDir);
  const store = overrides.store ?? (await createStore(config, logger));
  // ---- Events across instances (REDIS_URL; in-process without it). When the bus may have lost
  // other instances' events, `resync` makes resident and console streams and cached data re-read the store.
  // Filled once the bus exists: a gap can only be reported after start-up connected it.
  const gapReceiver: { bus?: EventBus } = {};
  const bus: EventBus = await createEventBus({
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: logger.child({ component: 'events' }),
    onGap: (reason) => gapReceiver.bus?.publish('resync', { reason }),
  });
  gapReceiver.bus = bus;
  // FAQ, intent, notice and transit edits on one instance make the others reload from the store.
  const reloads = new BusDataReloads(bus, logger.child({ component: 'reloads' }));
  const rateLimits = createRateLimitStores({ redisUrl: config.REDIS_URL, keyPrefix: `${config.REDIS_KEY_PREFIX}rl:`, logger: logger.child({ component: 'rate-limits' }) });
  // ---- end of events
  // Intent edits made through the admin API (on any instance, before any restart) win over the image's files.
  await writeStoredIntents(store.knowledge, config.intentsDir).catch((err: unknown) => logger.warn({ err }, 'could not apply stored intent edits; starting from the intent files'));
  const nlu = new NluService(config.intentsDir, logger);
  await yieldToLoop(); // Start-up wiring runs in several turns, none long.
  // Eager but in the background: the lexical classifier answers until the encoder is loaded and trained.
  void nlu.start({ modelDir: config.modelDir, mode: config.NLU_MODE, cacheDir: config.cacheDir, watch: true, threads: config.NLU_THREADS });
  // Until a learned abuse detector is installed, the lexicon shields counselors from insults.
  nlu.abuse ??= LexiconAbuseDetector.fromFile(path.join(config.intentsDir, 'lexicons', 'abuse.json'));
  const channels = new ChannelDirectory();
  const metrics = metricsRouter(bus, { token: config.METRICS_TOKEN, open: !config.production });
  const telemetry = prometheusTelemetry(metrics.registry);
  const outbox = new OutboxWorker(store, channels, logger.child({ component: 'outbox' }), {
    pollMs: config.OUTBOX_POLL_MS,
    baseDelayMs: config.OUTBOX_BASE_DELAY_MS,
    maxDelayMs: config.OUTBOX_MAX_DELAY_MS,
    telemetry,
  });
  storeGauges(metrics.registry, {
    queued: () => store.conversations.list({ states: ['queued'], limit: 1000 }),
    outbox: () => store.outbox.summary(),
    sending: () => outbox.sending,
  });

  await yieldToLoop();
  // Delivery first, then the feature modules that send through it, then the runner that needs their steps.
  const delivery = new Delivery({ store, bus, channels, worker: outbox });
  const handoff = createHandoff({ store, bus, channels, outbound: delivery, config, logger: logger.child({ component: 'handoff' }) });
  const tickets = new TicketService({ store, send: (c, d) => delivery.send(c, d), logger: logger.child({ component: 'tickets' }) });
  const notices = new NoticeService(store.notices, undefined, reloads);
  const kb = createKnowledgeModule({
    store,
    config,
    // Look-alikes teach the classifier what is not crisis; they are not questions the FAQ answers.
    intentExamples: () => faqIntentExamples(nlu.intentData().examples),
    encoder: nlu,
    notices,
    minIntentConfidence: MIN_INTENT_CONFIDENCE,
    outbound: delivery,
    logger: logger.child({ component: 'knowledge' }),
    reloads,
  });
  const transit = createTransitModule({ config, logger: logger.child({ component: 'transit' }), notices, reloads, ...(overrides.now && { now: overrides.now }) });
  // In the background: a large feed takes a while, and the service answers without it meanwhile.
  void transit.start();
  const flows = createFlowModule({
    knowledgeDir: config.knowledgeDir,
    tickets,
    options: { startConfidence: MIN_INTENT_CONFIDENCE, interruptConfidence: INTERRUPT_CONFIDENCE },
  });
  const admin = createAdminModule({
    store,
    config,
    knowledge: kb.knowledge,
    intents: { definitions: () => nlu.definitions(), reload: () => nlu.reload() },
    tickets,
    notices,
    logger: logger.child({ component: 'admin' }),
    version,
    reloads,
  });
  const runner = new TurnRunner({
    store,
    outbound: delivery,
    escalation: handoff.escalation,
    logger: logger.child({ component: 'turn' }),
    translate,
    telemetry,
    pipeline: turnPipeline({
      detectLanguage: detectLanguageStep(nlu.language),
      languageNotice: languageNoticeStep(REQUIRED_LANGUAGES.resident, translate),
      understand: understandStep({
        classifier: () => nlu.classifier(),
        crisis: nlu.crisis,
        abuse: nlu.abuse,
        judge: nlu.crisisJudge,
        awaiting: async (ctx) => surveyAwaiting(await store.surveys.findPending(ctx.conversation.channel, ctx.conversation.externalUserId, new Date())),
      }),
      markHearingImpaired: markHearingImpairedStep(MIN_INTENT_CONFIDENCE),
      keepAbuseEvidence: handoff.steps.keepAbuseEvidence,
      captureSurvey: handoff.steps.captureSurvey,
      queueChoice: handoff.steps.queueChoice,
      handoffFollowUp: handoff.steps.followUp,
      acknowledgeQueued: handoff.steps.acknowledgeQueued,
      pauseFlow: flows.pauseStep,
      crisisGuard: crisisGuardStep(translate),
      twoNeeds: kb.twoNeedsStep({
        startsFlow: flows.startsFlow,
        lastOffer: (ctx) => offeredButtons(store.messages, ctx.inbound),
        intentOf: async (ctx, text, language) => {
          const { intent, confidence } = await classifyInTurn(ctx, nlu.classifier(), text, language);
          return confidence >= MIN_INTENT_CONFIDENCE ? intent : undefined;
        },
      }),
      welcome: kb.welcome.step,
      flow: flows.flowStep,
      transit: transit.step,
      signLanguage: signLanguageStep({ service: config.signLanguageService, minConfidence: MIN_INTENT_CONFIDENCE }),
      faq: kb.faqStep,
      answerIntent: answerIntentStep(() => nlu.definitions(), {
        minConfidence: MIN_INTENT_CONFIDENCE,
        // Degraded (lexical) understanding misses more: offer a counselor after the first miss.
        get missesBeforeOffer() {
          return nlu.isDegraded() ? 1 : 2;
        },
      }, translate),
    }),
  });
  const inbound = new Inbound({
    store,
    bus,
    runner,
    logger: logger.child({ component: 'inbound' }),
    greet: (conversation) => kb.welcome.greet(conversation),
  });
  await yieldToLoop();

  const app = express();
  app.disable('x-powered-by');
  app.use(requestIds(), httpMetrics(metrics.registry));
  app.use('/api', helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }, hsts: false }));
  app.set('trust proxy', config.TRUST_PROXY);
  /** Set when shutdown begins: /readyz fails first, so load balancers stop sending requests here. */
  let stopping = false;
  /** Set when the NLU's per-message code has run once (nlu-warm-up.ts): not ready before. */
  let warmed = false;
  app.use(healthRouter({
    checks: {
      shutdown: async () => ({ ok: !stopping, ...(stopping && { status: 'shutting down' }) }),
      store: async () => ({ ok: await store.healthy(), kind: store.kind, durable: store.durable }),
      // Not ready while the transformer loads or trains (or the first index builds), unless serving degraded.
      nlu: async () => {
        const status = nlu.status();
        return { ...status, ...(!warmed && { warming: true }), ok: warmed && status.ready && (!status.loading || config.NLU_SERVE_DEGRADED) };
      },
      knowledge: async () => {
        const status = kb.status();
        return { ...status, ok: status.ready && (!status.loading || config.NLU_SERVE_DEGRADED) };
      },
      transit: async () => ({ ...transit.status() }),
      // Informational: without Redis, events stay on this instance until it is back (no reason to stop serving).
      events: async () => ({ ok: true, kind: bus.kind, connected: bus.healthy() }),
    },
  }));
  app.use(eventLoopRouter(loop));
  app.use(metrics.router);
  if (config.production && !config.METRICS_TOKEN) logger.warn('/metrics is off: set METRICS_TOKEN to let a scraper read it');

  // Channel webhooks take raw bytes (signatures), so they are mounted before any JSON parser.
  const channelHost = new ChannelHost({ logger, frameAncestors: config.WEBCHAT_FRAME_ANCESTORS.split(/\s+/).filter(Boolean) });
  app.use(channelHost.router);

  const fetchMedia = async (channel: string, ref: string, maxBytes: number) => channels.get(channel)?.fetchMedia?.(ref, maxBytes);
  const consoleServer = await installConsole(app, {
    config,
    store,
    bus,
    handoff,
    canned: kb.canned,
    logger: logger.child({ component: 'console' }),
    version,
    workspace: { fetchMedia },
    rateLimits,
  });
  readGauge(metrics.registry, 'dajeong_store_connection_reopens', 'Times this instance reopened its database connection because the driver monitor hung', () => store.connectionReopens?.() ?? 0);
  readGauge(metrics.registry, 'dajeong_console_websockets', 'Console WebSocket connections open on this instance', () => consoleServer.connections());

  const runtime: ChannelRuntime = {
    dispatch: (message) => inbound.dispatch(message),
    dispatchAndWait: (message, waitMs) => inbound.dispatchAndWait(message, waitMs),
    openConversation: (opening) => inbound.openConversation(opening),
    route: (method, path, handler, options) => channelHost.route(method, path, handler, options),
    serveStatic: (urlPath, dir) => channelHost.serveStatic(urlPath, dir),
    upgrade: (path, handler) => channelHost.upgrade(path, handler),
    logger,
    version,
    store: { conversations: store.conversations, messages: store.messages, residents: store.residents },
    saveChannelContext: async (conversationId, patch) => {
      const c = await store.conversations.get(conversationId);
      if (c) await store.conversations.update(conversationId, { channelContext: { ...c.channelContext, ...patch } });
    },
    appSessions: store.appSessions,
    events: bus,
    signal: (event, payload) => bus.publish(event, payload),
    media: store.media,
    gauge: (name, help, read) => readGauge(metrics.registry, name, help, read),
    noteForStaff: (conversationId, text) => delivery.noteForStaff(conversationId, text),
  };
  for (const adapter of createChannels(env, logger, translate)) {
    channels.add(adapter);
    await adapter.start({ ...runtime, logger: logger.child({ channel: adapter.name }) });
  }
  app.use('/api/admin/v1', transit.adminRouter);
  app.use('/api/admin/v1', admin.router);
  // Browser UIs' texts (web chat, console): GET /i18n/<namespace>/<lang>.json.
  app.use(i18nRouter(catalog));
  app.get('/', (_req, res) => res.redirect('/webchat/'));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  const server = http.createServer(app);
  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error handler from upgraded sockets; a reset during the (async) handshake
    // must not become an uncaught error.
    socket.on('error', (err) => logger.debug({ err }, 'upgrade socket error'));
    if (!channelHost.handleUpgrade(req, socket, head) && !consoleServer.handleUpgrade(req, socket, head)) socket.destroy();
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
    loop.stop();
    throw err;
  }
  // In slices, while serving: /readyz waits for it, so the first residents after a start or a
  // deploy do not queue behind compiling the lexicons' patterns and optimizing the scoring loops.
  const warmedUp = warmUp(
    {
      patterns: [nlu.crisis.compiledPatterns(), nlu.abuse instanceof LexiconAbuseDetector ? nlu.abuse.compiledPatterns() : []],
      samples: warmUpSamples(nlu.intentData().examples),
      calls: [
        (text) => nlu.language.detect(text),
        (text) => nlu.crisis.isCrisis(text),
        (text) => nlu.abuse?.isAbusive(text),
        async (text) => {
          const language = nlu.language.detect(text) ?? 'ko';
          const classification = withoutShortTextCrisis(await nlu.classifier().classify(text, language), text);
          await nlu.crisisJudge.judge({ text, language, classification, context: async () => ({}) });
          await kb.knowledge.search(text, language);
        },
      ],
    },
    { shouldStop: () => stopping },
  ).then(
    (report) => {
      warmed = true;
      logger.info({ warmUp: { ...report, ms: Math.round(report.ms) } }, 'NLU warmed up');
    },
    (err: unknown) => {
      // Only a speed-up: a failure must not keep the instance out of service.
      warmed = true;
      logger.warn({ err }, 'NLU warm-up failed; serving without it');
    },
  );
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
  const recovered = await runner.recoverUnhandled(new Date(Date.now() - 24 * 3600_000));
  if (recovered) logger.info({ recovered }, 'resumed turns of messages stored before a restart');
  // While running too: a turn a database outage interrupted is run again once the store answers.
  const turnRetry = new UnhandledTurnRetry({
    messages: store.messages,
    retry: (message) => runner.retryTurn(message),
    logger: logger.child({ component: 'turn-retry' }),
    retryAfterMs: config.TURN_RETRY_SECONDS * 1000,
    ownerId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  turnRetry.start();
  logger.info({ url, store: store.kind, nlu: nlu.status(), channels: channels.all().map((c) => c.name) }, 'Dajeong is up');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Order: fail readiness, stop accepting, answer open long-polls, drain turns and the outbox
      // (one time limit for both), then release everything.
      logger.info('shutting down: failing readiness, then finishing in-flight work');
      stopping = true;
      if (config.SHUTDOWN_READY_DELAY_MS) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_READY_DELAY_MS));
      const deadline = Date.now() + config.SHUTDOWN_GRACE_MS;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      channelHost.stopWaiting();
      turnRetry.stop();
      await runner.drain(config.SHUTDOWN_GRACE_MS);
      await channelHost.close();
      await consoleServer.close();
      server.closeAllConnections();
      await serverClosed;
      // Sends still under way at the deadline are left: their lease expires and another instance retries.
      const outboxStopped = await Promise.race([
        outbox.stop().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())).unref()),
      ]);
      if (!outboxStopped) logger.warn('shutdown: outbox sends still under way at the grace limit; another instance retries them');
      await sweeper.stop();
      await handoff.stop();
      for (const adapter of channels.all()) await adapter.stop();
      transit.close();
      reloads.close();
      await rateLimits.close();
      // After the last turn and send: their events are flushed to the other instances.
      await kb.close();
      await bus.close();
      await nlu.close();
      await store.close();
      loop.stop();
      logger.info('shutdown complete');
    })());

  return { config, url, server, store, outbound: delivery, inbound, bus, nlu, channels, logger, transit, warmedUp, close };
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
