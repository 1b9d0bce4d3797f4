/** Binds every schema to one connection, so several stores (databases) can live in one process. */
import type { Connection } from 'mongoose';
import { appSessionSchema, type AppSessionDoc } from './app-session-schema';
import { auditSchema, type AuditDoc } from './audit-schema';
import { claimSchema, conversationSchema, type ClaimDoc, type ConversationDoc } from './conversation-schema';
import {
  alertSchema,
  consoleSessionSchema,
  consoleUserSchema,
  episodeSchema,
  figureSchema,
  messageFlagSchema,
  surveySchema,
  type AlertDoc,
  type ConsoleSessionDoc,
  type ConsoleUserDoc,
  type EpisodeDoc,
  type FigureDoc,
  type MessageFlagDoc,
  type SurveyDoc,
} from './handoff-schemas';
import {
  knowledgeVersionSchema,
  noticeSchema,
  ticketSchema,
  unansweredAskerSchema,
  unansweredSchema,
  type KnowledgeVersionDoc,
  type NoticeDoc,
  type TicketDoc,
  type UnansweredAskerDoc,
  type UnansweredDoc,
} from './knowledge-schemas';
import { loginAttemptSchema, type LoginAttemptDoc } from './login-attempt-schema';
import { deliveryKeySchema, messageSchema, turnRetrySchema, type DeliveryKeyDoc, type MessageDoc, type TurnRetryDoc } from './message-schema';
import { outboxConversationLeaseSchema, outboxSchema, type OutboxConversationLeaseDoc, type OutboxDoc } from './outbox-schema';
import {
  cannedAnswerSchema,
  mediaChunkSchema,
  mediaSchema,
  type CannedAnswerDoc,
  type MediaChunkDoc,
  type MediaDoc,
} from './workspace-schemas';
import { identitySchema, residentSchema, type IdentityDoc, type ResidentDoc } from './resident-schema';
import { qaClaimSchema, qaReviewSchema, type QaClaimDoc, type QaReviewDoc } from './qa-schemas';

/** Creates the models on `conn`; collection names are fixed so they do not depend on pluralisation. */
export function createModels(conn: Connection) {
  return {
    residents: conn.model<ResidentDoc>('Resident', residentSchema, 'residents'),
    identities: conn.model<IdentityDoc>('Identity', identitySchema, 'identities'),
    conversations: conn.model<ConversationDoc>('Conversation', conversationSchema, 'conversations'),
    claims: conn.model<ClaimDoc>('Claim', claimSchema, 'claims'),
    messages: conn.model<MessageDoc>('Message', messageSchema, 'messages'),
    appSessions: conn.model<AppSessionDoc>('AppSession', appSessionSchema, 'appSessions'),
    outbox: conn.model<OutboxDoc>('Outbox', outboxSchema, 'outbox'),
    // A new collection: the former per-attempt 'outboxLeases' had another unique key.
    outboxLeases: conn.model<OutboxConversationLeaseDoc>('OutboxConversationLease', outboxConversationLeaseSchema, 'outboxConversationLeases'),
    audit: conn.model<AuditDoc>('Audit', auditSchema, 'audit'),
    consoleUsers: conn.model<ConsoleUserDoc>('ConsoleUser', consoleUserSchema, 'consoleUsers'),
    consoleSessions: conn.model<ConsoleSessionDoc>('ConsoleSession', consoleSessionSchema, 'consoleSessions'),
    loginAttempts: conn.model<LoginAttemptDoc>('LoginAttempt', loginAttemptSchema, 'loginAttempts'),
    episodes: conn.model<EpisodeDoc>('HandoffEpisode', episodeSchema, 'handoffEpisodes'),
    surveys: conn.model<SurveyDoc>('Survey', surveySchema, 'surveys'),
    alerts: conn.model<AlertDoc>('Alert', alertSchema, 'alerts'),
    messageFlags: conn.model<MessageFlagDoc>('MessageFlag', messageFlagSchema, 'messageFlags'),
    figures: conn.model<FigureDoc>('FigureCount', figureSchema, 'figureCounts'),
    tickets: conn.model<TicketDoc>('Ticket', ticketSchema, 'tickets'),
    knowledgeVersions: conn.model<KnowledgeVersionDoc>('KnowledgeVersion', knowledgeVersionSchema, 'knowledgeVersions'),
    notices: conn.model<NoticeDoc>('Notice', noticeSchema, 'notices'),
    unanswered: conn.model<UnansweredDoc>('Unanswered', unansweredSchema, 'unanswered'),
    media: conn.model<MediaDoc>('Media', mediaSchema, 'media'),
    mediaChunks: conn.model<MediaChunkDoc>('MediaChunk', mediaChunkSchema, 'mediaChunks'),
    cannedAnswers: conn.model<CannedAnswerDoc>('CannedAnswer', cannedAnswerSchema, 'cannedAnswers'),
    qaReviews: conn.model<QaReviewDoc>('QaReview', qaReviewSchema, 'qaReviews'),
    qaClaims: conn.model<QaClaimDoc>('QaClaim', qaClaimSchema, 'qaClaims'),
    unansweredAskers: conn.model<UnansweredAskerDoc>('UnansweredAsker', unansweredAskerSchema, 'unansweredAskers'),
    turnRetries: conn.model<TurnRetryDoc>('TurnRetry', turnRetrySchema, 'turnRetries'),
    deliveryKeys: conn.model<DeliveryKeyDoc>('DeliveryKey', deliveryKeySchema, 'deliveryKeys'),
  };
}

export type Models = ReturnType<typeof createModels>;

/**
 * Creates missing indexes. createIndex is idempotent; syncIndexes is avoided on purpose because
 * FerretDB does not report `sparse` in listIndexes, so syncIndexes would drop and rebuild the
 * dedupe index on every start (and briefly run without it).
 */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
