/**
 * The durable Store on MongoDB (or any MongoDB-wire server such as FerretDB) through mongoose.
 * Each store owns its own connection, so several stores can coexist in one process.
 */
import mongoose, { type Connection } from 'mongoose';
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

export interface MongoStoreOptions {
  logger?: Logger;
  /**
   * How long an operation waits for a reachable server before failing with
   * StoreUnavailableError. Short, so a turn fails fast instead of hanging. Default 3000.
   */
  serverSelectionTimeoutMS?: number;
  /** How often the driver re-checks the server, which bounds how fast it notices recovery. Default 2000. */
  heartbeatFrequencyMS?: number;
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
  }

  /**
   * Connects, creates missing indexes and returns a ready store. After that the driver
   * reconnects by itself; while the server is away, operations reject with StoreUnavailableError.
   * @throws StoreUnavailableError when the server cannot be reached within serverSelectionTimeoutMS.
   */
  static async connect(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    const conn = mongoose.createConnection(uri, {
      // No buffering: an operation during an outage must fail now, not wait in a queue.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 3_000,
      heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 2_000,
    });
    const lifecycle: Lifecycle = { closing: false };
    watch(conn, lifecycle, options.logger);
    try {
      await conn.asPromise();
      const models = createModels(conn);
      await ensureIndexes(models);
      return new MongoStore(conn, models, lifecycle);
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

  async close(): Promise<void> {
    this.lifecycle.closing = true;
    await this.conn.close();
  }
}

interface Lifecycle {
  closing: boolean;
}

// Without an 'error' listener an EventEmitter error would crash the process.
function watch(conn: Connection, lifecycle: Lifecycle, logger: Logger | undefined): void {
  conn.on('error', (err: unknown) => logger?.error({ err }, 'mongodb connection error'));
  conn.on('disconnected', () => {
    if (!lifecycle.closing) logger?.warn('mongodb disconnected; operations fail until it is back');
  });
  conn.on('reconnected', () => logger?.info('mongodb reconnected'));
}
