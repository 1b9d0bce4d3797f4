/**
 * Mounts the counselor console on the service: the web app at /console/ (static files, chart.js
 * from node_modules, strict security headers), the API at /api/console/v1 with its OpenAPI
 * document, login rate limiting, the first admin account, and the live WebSocket stream.
 */
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import cookieParser from 'cookie-parser';
import express, { type Express, type Request } from 'express';
import { boundedJson } from '../http/raw-body';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { HandoffModule } from '../handoff/handoff-module';
import { tr } from '../i18n/translate';
import { createRateLimitStores, type RateLimitStores } from '../http/rate-limit-store';
import { OutboxReviewService } from '../turn/outbox-review-service';
import type { MessageBus } from '../turn/message-bus';
import { accountLockRoutes } from './account-lock-routes';
import { ConsoleAuth } from './console-auth';
import { consoleLanguage } from './console-language';
import { consoleOpenApi } from './console-openapi';
import { buildConsoleRouter } from './console-router';
import { consoleRoutes, createUser } from './console-routes';
import { ConsoleStream } from './console-stream';
import { careRoutes } from './care-routes';
import { outboxRoutes } from './outbox-routes';
import { qaRoutes } from './qa-routes';
import { staffingRoutes } from './staffing-routes';
import { workspaceRoutes, type WorkspaceRouteDeps } from './workspace-routes';

export interface ConsoleServer {
  /** Takes the upgrade when it is for the console stream; false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export interface InstallConsoleDeps {
  config: Config;
  store: Store;
  bus: MessageBus;
  handoff: HandoffModule;
  logger: Logger;
  version: string;
  /** Where rate-limit counts live (Redis when configured); default: this process's memory. */
  rateLimits?: RateLimitStores;
  /** Undelivered replies for supervisors; default: one over the store (pass one with `kick` to send retries at once). */
  outboxReview?: OutboxReviewService;
  /** Typing/read signals and, with `fetchMedia`, the workspace routes (photos, search, canned answers). */
  workspace: Pick<WorkspaceRouteDeps, 'events' | 'fetchMedia'>;
}

/** Content-Security-Policy of the console: only its own scripts, styles and connections. */
const CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
  },
};

export async function installConsole(app: Express, deps: InstallConsoleDeps): Promise<ConsoleServer> {
  const { config, store, logger } = deps;
  const auth = new ConsoleAuth({
    store,
    logger,
    settings: {
      sessionMs: config.CONSOLE_SESSION_HOURS * 3600_000,
      secureCookie: config.CONSOLE_SECURE_COOKIE,
      maxFailures: config.LOGIN_MAX_FAILURES,
      accountMaxFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
      lockMs: config.LOGIN_LOCK_MINUTES * 60_000,
    },
  });
  await ensureFirstAdmin(deps);

  const limitJson = (req: Request) => ({
    error: { code: 'rate_limited', message: tr('staff.error.loginRateLimited', consoleLanguage(req)) },
  });
  // LOGIN_RATE_LIMIT is documented as attempts per address per minute: one count per address,
  // whatever login names it tries (a per-name count let one address try N per name). Counts are
  // shared by all instances when Redis is configured.
  const rateLimits = deps.rateLimits ?? createRateLimitStores();
  const loginLimiters = [
    rateLimit({
      windowMs: 60_000,
      limit: config.LOGIN_RATE_LIMIT,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? ''),
      message: limitJson,
      ...rateLimits.forLimiter('console-login'),
    }),
  ];

  const outboxReview = deps.outboxReview ?? new OutboxReviewService({ store });
  const routes = [
    ...consoleRoutes({ store, handoff: deps.handoff, auth, logger, loginLimiters }),
    ...accountLockRoutes({ store, auth }),
    ...outboxRoutes({ review: outboxReview }),
    ...qaRoutes({ store, qa: deps.handoff.qa.service, sampler: deps.handoff.qa.sampler, reports: deps.handoff.qa.reports }),
    ...staffingRoutes({ staffing: deps.handoff.staffing }),
    ...careRoutes({ care: deps.handoff.care }),
    ...workspaceRoutes({ store, handoff: deps.handoff, ...deps.workspace, slaMs: config.SLA_SECONDS * 1000 }),
  ];
  const openApi = consoleOpenApi(routes, deps.version);
  const api = express.Router();
  api.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(boundedJson('100kb'), cookieParser());
  api.use(buildConsoleRouter(routes, auth, () => openApi));
  app.use('/api/console/v1', api);

  const web = express.Router();
  web.use(helmet({ contentSecurityPolicy: CSP, hsts: config.CONSOLE_SECURE_COOKIE }));
  const chartDir = path.dirname(require.resolve('chart.js'));
  web.get('/vendor/chart.umd.min.js', (_req, res) => res.sendFile(path.join(chartDir, 'chart.umd.min.js'), { maxAge: '1d' }));
  // Next to this module: src/console/public, or dist/src/console/public in a build (scripts/copy-assets.mjs).
  web.use(express.static(path.join(__dirname, 'public'), { index: 'index.html', maxAge: '5m' }));
  app.use('/console', web);

  const stream = new ConsoleStream({ store, bus: deps.bus, events: deps.handoff.events, auth, logger, eventBus: deps.workspace.events });
  return {
    handleUpgrade(req, socket, head) {
      if (!stream.handles(req)) return false;
      stream.handleUpgrade(req, socket, head);
      return true;
    },
    close: () => stream.close(),
  };
}

/** Creates the admin from ADMIN_LOGIN / ADMIN_PASSWORD when no admin exists yet. */
async function ensureFirstAdmin({ config, store, logger }: InstallConsoleDeps): Promise<void> {
  if (!config.ADMIN_LOGIN || !config.ADMIN_PASSWORD) {
    if (!(await store.users.list({ role: 'admin' })).length) logger.warn('no console admin exists: set ADMIN_LOGIN and ADMIN_PASSWORD to create one');
    return;
  }
  if ((await store.users.list({ role: 'admin' })).length) return;
  try {
    const admin = await createUser(store, {
      login: config.ADMIN_LOGIN,
      password: config.ADMIN_PASSWORD,
      role: 'admin',
      languages: ['ko'],
      teams: [],
      displayName: config.ADMIN_LOGIN,
    });
    await store.audit.record({ actor: 'system', action: 'user.create', subject: admin.id, details: { login: admin.login, role: 'admin', bootstrap: true } });
    logger.info({ login: admin.login }, 'created the first console admin');
  } catch (err) {
    // Another instance created it at the same moment, or the login exists with another role.
    if ((err as { code?: string }).code !== 'conflict') throw err;
    logger.warn({ login: config.ADMIN_LOGIN }, 'ADMIN_LOGIN exists already; no admin was created');
  }
}
