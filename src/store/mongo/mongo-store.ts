/**
 * The durable Store on MongoDB (or any MongoDB-wire server such as FerretDB) through mongoose.
 * Each store owns its own connection, so several stores can coexist in one process.
 */
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import type { KnowledgeStore } from '../../core/knowledge-port';
import type { AlertStore, EpisodeStore, FigureStore, MessageFlagStore, SurveyStore } from '../../core/handoff-port';
import type { Logger } from '../../core/logger-port';
import type { LoginAttemptStore } from '../../core/login-attempt-port';
import type { ConsoleSessionStore, UserStore } from '../../core/user-port';
import type { NoticeStore } from '../../core/notice-port';
import type { TicketStore } from '../../core/ticket-port';
import type { UnansweredStore } from '../../core/unanswered-port';
import type {
  AppSessionStore,
  AuditStore,
  ConversationStore,
  MessageStore,
  OutboxStore,
  ResidentStore,
  Store,
} from '../../core/store-port';
import type { CannedAnswerStore } from '../../core/canned-port';
import type { MediaStore } from '../../core/media-port';
import type { MessageSearchStore } from '../../core/search-port';
import type { QaStore } from '../../core/qa-port';
import { toStoreError, withStoreErrors } from './errors';
import { MongoCannedAnswers } from './mongo-canned';
import { MongoQa } from './mongo-qa';
import { MongoInterpreters } from './mongo-interpreters';
import type { InterpreterStore } from '../../core/interpreter-port';
import { MongoMedia } from './mongo-media';
import { MongoMessageSearch } from './mongo-search';
import { MongoAppSessions } from './mongo-app-sessions';
import { MongoAudit } from './mongo-audit';
import { MongoAlerts, MongoEpisodes, MongoFigures, MongoMessageFlags, MongoSurveys } from './mongo-handoff';
import { MongoConsoleSessions, MongoUsers } from './mongo-users';
import { MongoKnowledge } from './mongo-knowledge';
import { MongoLoginAttempts } from './mongo-login-attempts';
import { MongoNotices } from './mongo-notices';
import { MongoTickets } from './mongo-tickets';
import { MongoUnanswered } from './mongo-unanswered';
import { MongoConversations } from './mongo-conversations';
import { MongoMessages } from './mongo-messages';
import { MongoOutbox } from './mongo-outbox';
import { MongoResidents } from './mongo-residents';
import { createModels, ensureIndexes, type Models } from './models';
import { MonitorWatchdog } from './monitor-watchdog';
import { withTimeout } from '../../core/with-timeout';

export interface MongoStoreOptions {
  logger?: Logger;
  /**
   * How long an operation waits for a reachable server before failing with
   * StoreUnavailableError. Short, so a turn fails fast instead of hanging. Default 3000.
   */
  serverSelectionTimeoutMS?: number;
  /** How often the driver re-checks the server, which bounds how fast it notices recovery. Default 2000. */
  heartbeatFrequencyMS?: number;
  /**
   * How long opening a socket (and a heartbeat on it) may take. Default 10000, below the driver's
   * 30 s: it also bounds how soon a stuck server monitor is noticed (MonitorWatchdog).
   */
  connectTimeoutMS?: number;
  /**
   * How long a heartbeat may be outstanding before the monitor counts as stuck and the connection
   * is reopened. Default connectTimeoutMS + heartbeatFrequencyMS + 2000 (past the driver's own bound).
   */
  monitorStuckAfterMS?: number;
}

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly durable = true;
  readonly residents: ResidentStore;
  readonly conversations: ConversationStore;
  readonly messages: MessageStore;
  readonly appSessions: AppSessionStore & Pick<MongoAppSessions, 'listByResident'>;
  readonly outbox: OutboxStore;
  readonly audit: AuditStore;
  readonly users: UserStore;
  readonly consoleSessions: ConsoleSessionStore;
  readonly loginAttempts: LoginAttemptStore;
  readonly episodes: EpisodeStore;
  readonly surveys: SurveyStore;
  readonly alerts: AlertStore;
  readonly messageFlags: MessageFlagStore;
  readonly figures: FigureStore;
  readonly tickets: TicketStore;
  readonly knowledge: KnowledgeStore;
  readonly notices: NoticeStore;
  readonly unanswered: UnansweredStore;
  readonly media: MediaStore;
  readonly cannedAnswers: CannedAnswerStore;
  readonly messageSearch: MessageSearchStore;
  readonly qaReviews: QaStore;
  readonly interpreters: InterpreterStore;

  private watchdog: MonitorWatchdog | undefined;
  private reopens = 0;

  private constructor(
    private readonly conn: Connection,
    models: Models,
    private readonly lifecycle: Lifecycle,
  ) {
    this.residents = withStoreErrors(new MongoResidents(models));
    this.conversations = withStoreErrors(new MongoConversations(models));
    this.messages = withStoreErrors(new MongoMessages(models));
    this.appSessions = withStoreErrors(new MongoAppSessions(models));
    this.outbox = withStoreErrors(new MongoOutbox(models));
    this.audit = withStoreErrors(new MongoAudit(models));
    this.users = withStoreErrors(new MongoUsers(models));
    this.consoleSessions = withStoreErrors(new MongoConsoleSessions(models));
    this.loginAttempts = withStoreErrors(new MongoLoginAttempts(models));
    this.episodes = withStoreErrors(new MongoEpisodes(models));
    this.surveys = withStoreErrors(new MongoSurveys(models));
    this.alerts = withStoreErrors(new MongoAlerts(models));
    this.messageFlags = withStoreErrors(new MongoMessageFlags(models));
    this.figures = withStoreErrors(new MongoFigures(models));
    this.tickets = withStoreErrors(new MongoTickets(models));
    this.knowledge = withStoreErrors(new MongoKnowledge(models));
    this.notices = withStoreErrors(new MongoNotices(models));
    this.unanswered = withStoreErrors(new MongoUnanswered(models));
    this.media = withStoreErrors(new MongoMedia(models));
    this.cannedAnswers = withStoreErrors(new MongoCannedAnswers(models));
    this.messageSearch = withStoreErrors(new MongoMessageSearch(models));
    this.qaReviews = withStoreErrors(new MongoQa(models));
    this.interpreters = withStoreErrors(new MongoInterpreters(models));
  }

  /**
   * Connects, creates missing indexes and returns a ready store. After that the driver
   * reconnects by itself; while the server is away, operations reject with StoreUnavailableError.
   * @throws StoreUnavailableError when the server cannot be reached within serverSelectionTimeoutMS.
   */
  static async connect(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    const settings = {
      // No buffering: an operation during an outage must fail now, not wait in a queue.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 3_000,
      heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 2_000,
      connectTimeoutMS: options.connectTimeoutMS ?? 10_000,
    };
    const conn = mongoose.createConnection(uri, settings);
    const lifecycle: Lifecycle = { closing: false };
    watch(conn, lifecycle, options.logger);
    try {
      await conn.asPromise();
      const models = createModels(conn);
      await ensureIndexes(models);
      const store = new MongoStore(conn, models, lifecycle);
      store.watchMonitor(uri, settings, options);
      return store;
    } catch (err) {
      lifecycle.closing = true;
      await conn.close().catch(() => undefined);
      throw toStoreError(err);
    }
  }

  /** True when the server answers a ping; false while disconnected (never throws). */
  async healthy(): Promise<boolean> {
    if (this.conn.readyState !== mongoose.ConnectionStates.connected || !this.conn.db) return false;
    try {
      await this.conn.db.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  connectionReopens(): number {
    return this.reopens;
  }

  async close(): Promise<void> {
    this.lifecycle.closing = true;
    this.watchdog?.stop();
    await this.conn.close();
  }

  /** Reopens the connection when its server monitor is stuck (see MonitorWatchdog). */
  private watchMonitor(uri: string, settings: ConnectOptions & { heartbeatFrequencyMS: number; connectTimeoutMS: number }, options: MongoStoreOptions): void {
    const { logger } = options;
    // The client's own figures: a connectTimeoutMS in the URI wins over ours.
    const client = this.conn.getClient().options;
    const heartbeatFrequencyMS = client.heartbeatFrequencyMS ?? settings.heartbeatFrequencyMS;
    const watchdog = new MonitorWatchdog({
      heartbeatFrequencyMS,
      stuckAfterMs: options.monitorStuckAfterMS ?? (client.connectTimeoutMS ?? settings.connectTimeoutMS) + heartbeatFrequencyMS + 2_000,
      onStuck: async (address, outstandingMs) => {
        logger?.error({ address, outstandingMs }, 'mongodb server monitor stuck in a heartbeat; reopening the connection');
        this.reopens++;
        await this.reopen(uri, settings, logger);
        if (!this.lifecycle.closing) watchdog.watch(this.conn.getClient());
      },
    });
    watchdog.watch(this.conn.getClient());
    watchdog.start();
    this.watchdog = watchdog;
  }

  /**
   * Closes the client whose monitor is stuck and opens a new one on the same mongoose connection
   * (its models stay bound), retrying while the server is away. Operations meanwhile fail with
   * StoreUnavailableError, as in any outage.
   */
  private async reopen(uri: string, settings: ConnectOptions, logger: Logger | undefined): Promise<void> {
    this.lifecycle.reopening = true;
    try {
      // A client whose monitor hangs might not close cleanly: do not let it hold the recovery.
      await withTimeout(this.conn.close(), REOPEN_CLOSE_TIMEOUT_MS, () => new Error(`no answer in ${REOPEN_CLOSE_TIMEOUT_MS} ms`)).catch((err: unknown) => logger?.warn({ err }, 'mongodb: closing the stuck client failed'));
      for (let attempt = 1; !this.lifecycle.closing; attempt++) {
        try {
          await this.conn.openUri(uri, settings);
          if (this.lifecycle.closing) await this.conn.close();
          else logger?.info({ attempt }, 'mongodb connection reopened');
          return;
        } catch (err) {
          logger?.warn({ err, attempt }, 'mongodb: reopening the connection failed; trying again');
          await new Promise((r) => setTimeout(r, Math.min(REOPEN_RETRY_MAX_MS, 1_000 * attempt)).unref());
        }
      }
    } finally {
      this.lifecycle.reopening = false;
    }
  }
}

const REOPEN_CLOSE_TIMEOUT_MS = 10_000;
const REOPEN_RETRY_MAX_MS = 10_000;


interface Lifecycle {
  closing: boolean;
  /** True while a stuck client is replaced: its 'disconnected' is expected. */
  reopening?: boolean;
}

// Without an 'error' listener an EventEmitter error would crash the process.
function watch(conn: Connection, lifecycle: Lifecycle, logger: Logger | undefined): void {
  conn.on('error', (err: unknown) => logger?.error({ err }, 'mongodb connection error'));
  conn.on('disconnected', () => {
    if (!lifecycle.closing && !lifecycle.reopening) logger?.warn('mongodb disconnected; operations fail until it is back');
  });
  conn.on('reconnected', () => logger?.info('mongodb reconnected'));
}
