/**
 * Collections of the counselor-handoff issue: consoleUsers, consoleSessions, handoffEpisodes,
 * surveys, alerts, messageFlags, figureCounts. Unique indexes decide every race (logins, alert
 * keys, one episode per queue entry).
 */
import { Schema } from 'mongoose';
import { PRIORITY_ORDER } from '../../core/conversation';
import { ALERT_KINDS, type Alert, type FigureCount, type HandoffEpisode, type MessageFlag, type Survey } from '../../core/handoff-port';
import { CONSOLE_ROLES, PRESENCES, SHIFTS, type ConsoleSession, type ConsoleUser } from '../../core/user-port';
import { BASE_OPTIONS, EMBEDDED_OPTIONS, requiredString } from './schema-options';

export type ConsoleUserDoc = Omit<ConsoleUser, 'id'> & { _id: string };

export const consoleUserSchema = new Schema<ConsoleUserDoc>(
  {
    _id: requiredString,
    login: requiredString,
    passwordHash: requiredString,
    role: { type: String, required: true, enum: [...CONSOLE_ROLES] },
    displayName: requiredString,
    languages: { type: [String], required: true },
    teams: { type: [String], required: true },
    shift: { type: String, enum: [...SHIFTS] },
    maxConcurrent: { type: Number, min: 1 },
    presence: { type: String, required: true, enum: [...PRESENCES] },
    presenceAt: { type: Date, required: true },
    lastSeenAt: Date,
    lastAssignedAt: Date,
    failedLogins: { type: Number, required: true, min: 0 },
    lockedUntil: Date,
    disabled: Boolean,
    careBreak: { type: new Schema({ from: { type: Date, required: true }, until: { type: Date, required: true } }, EMBEDDED_OPTIONS) },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
consoleUserSchema.index({ login: 1 }, { unique: true }); // one account per login
consoleUserSchema.index({ role: 1, createdAt: 1 });

/** `_id` is the token hash. */
export type ConsoleSessionDoc = Omit<ConsoleSession, 'tokenHash'> & { _id: string };

export const consoleSessionSchema = new Schema<ConsoleSessionDoc>(
  {
    _id: requiredString,
    userId: requiredString,
    csrfToken: requiredString,
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
consoleSessionSchema.index({ userId: 1 });

export type EpisodeDoc = Omit<HandoffEpisode, 'id'> & { _id: string };

export const episodeSchema = new Schema<EpisodeDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    handoffSeq: { type: Number, required: true, min: 0 },
    residentId: requiredString,
    channel: requiredString,
    language: requiredString,
    priority: { type: String, required: true, enum: [...PRIORITY_ORDER] },
    reason: requiredString,
    team: String,
    preferredCounselorId: String,
    queuedAt: { type: Date, required: true },
    counselorId: String,
    assignedAt: Date,
    endedAt: Date,
    outcome: { type: String, enum: ['closed', 'transferred', 'handback', 'requeued'] },
    resolution: String,
    callback: Boolean,
    notice: new Schema({ position: { type: Number, required: true }, at: { type: Date, required: true } }, EMBEDDED_OPTIONS),
  },
  BASE_OPTIONS,
);
episodeSchema.index({ conversationId: 1, handoffSeq: 1 });
episodeSchema.index({ queuedAt: 1 }); // figures over a period

export type SurveyDoc = Omit<Survey, 'id'> & { _id: string };

const score = { type: Number, min: 1, max: 5 } as const;

export const surveySchema = new Schema<SurveyDoc>(
  {
    _id: requiredString,
    kind: { type: String, required: true, enum: ['csat', 'helpful'] },
    conversationId: requiredString,
    residentId: requiredString,
    channel: requiredString,
    externalUserId: requiredString,
    language: requiredString,
    counselorId: String,
    status: { type: String, required: true, enum: ['pending', 'complete', 'expired'] },
    step: { type: String, enum: ['kindness', 'professionalism', 'promptness', 'comment', 'helpful'] },
    scores: { type: new Schema({ kindness: score, professionalism: score, promptness: score }, EMBEDDED_OPTIONS), required: true },
    helpful: Boolean,
    comment: String,
    sentAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    completedAt: Date,
  },
  BASE_OPTIONS,
);
surveySchema.index({ channel: 1, externalUserId: 1, status: 1, sentAt: -1 }); // pending survey on every inbound
surveySchema.index({ sentAt: 1 });

export type AlertDoc = Omit<Alert, 'id'> & { _id: string };

export const alertSchema = new Schema<AlertDoc>(
  {
    _id: requiredString,
    key: requiredString,
    kind: { type: String, required: true, enum: [...ALERT_KINDS] },
    conversationId: String,
    message: requiredString,
    raisedAt: { type: Date, required: true },
    raisedBy: String,
    acknowledgedAt: Date,
    acknowledgedBy: String,
    details: Schema.Types.Mixed,
  },
  BASE_OPTIONS,
);
alertSchema.index({ key: 1 }, { unique: true }); // one alert per breach, across instances
alertSchema.index({ raisedAt: -1 });

/** `_id` = messageId + ':' + kind, so a flag is stored once. */
export type MessageFlagDoc = MessageFlag & { _id: string };

export const messageFlagSchema = new Schema<MessageFlagDoc>(
  {
    _id: requiredString,
    messageId: requiredString,
    conversationId: requiredString,
    kind: { type: String, required: true, enum: ['abusive'] },
    at: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
messageFlagSchema.index({ conversationId: 1, at: 1 });

/**
 * One increment event. Counters are append-only (summed on read) rather than `$inc`-ed, because
 * not every MongoDB-wire server applies a read-modify-write update atomically.
 */
export type FigureDoc = FigureCount & { _id: string };

export const figureSchema = new Schema<FigureDoc>(
  {
    _id: requiredString,
    day: requiredString,
    key: requiredString,
    count: { type: Number, required: true },
  },
  BASE_OPTIONS,
);
figureSchema.index({ day: 1, key: 1 });
