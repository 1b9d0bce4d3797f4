/**
 * Storage ports of the human handoff: queue episodes, satisfaction surveys, supervisor alerts,
 * message flags (abuse evidence) and daily figure counters. Contested writes (one alert per
 * breach, one episode per queue entry) are decided by inserting under a unique key.
 */
import type { Priority } from './conversation';
import type { Language } from './message';

/** How an episode ended. */
export type EpisodeOutcome = 'closed' | 'transferred' | 'handback' | 'requeued';

/**
 * One stay of a conversation in the human queue and with its counselor: from enqueue
 * (handoffSeq) to close, transfer or hand-back. Id = `${conversationId}:${handoffSeq}`.
 */
export interface HandoffEpisode {
  id: string;
  conversationId: string;
  handoffSeq: number;
  residentId: string;
  channel: string;
  language: Language;
  priority: Priority;
  reason: string;
  /** Only counselors of this team may take it (transfer to a team). */
  team?: string;
  /** Offered to this counselor first (transfer to a counselor). */
  preferredCounselorId?: string;
  queuedAt: Date;
  /** Set when a counselor won the claim. */
  counselorId?: string;
  assignedAt?: Date;
  endedAt?: Date;
  outcome?: EpisodeOutcome;
  resolution?: string;
  /** The resident asked to leave a message and be contacted. */
  callback?: boolean;
  /** Last queue position told to the resident, and when. */
  notice?: { position: number; at: Date };
}

export type EpisodePatch = Partial<Omit<HandoffEpisode, 'id' | 'conversationId' | 'handoffSeq' | 'residentId'>>;

export interface EpisodeStore {
  /** Inserts the episode unless one with the same id exists; returns the stored one either way. */
  open(episode: HandoffEpisode): Promise<HandoffEpisode>;
  get(id: string): Promise<HandoffEpisode | undefined>;
  update(id: string, patch: EpisodePatch): Promise<HandoffEpisode>;
  /** Episodes of one conversation, oldest first. */
  listByConversation(conversationId: string): Promise<HandoffEpisode[]>;
  /** Episodes queued at or after `since`, oldest first. */
  listQueuedSince(since: Date, limit: number): Promise<HandoffEpisode[]>;
  /** Privacy deletion and retention; returns how many were removed. */
  deleteByConversation(conversationId: string): Promise<number>;
}

export const SURVEY_DIMENSIONS = ['kindness', 'professionalism', 'promptness'] as const;
export type SurveyDimension = (typeof SURVEY_DIMENSIONS)[number];

/**
 * A satisfaction survey sent after a close ('csat': 1–5 per dimension plus a comment) or after
 * the bot solved a question alone ('helpful': one tap). Kept pending on the resident's channel
 * identity, because the answer arrives after the conversation closed.
 */
export interface Survey {
  id: string;
  kind: 'csat' | 'helpful';
  conversationId: string;
  residentId: string;
  channel: string;
  externalUserId: string;
  language: Language;
  counselorId?: string;
  status: 'pending' | 'complete' | 'expired';
  /** What the survey asks next ('comment' = the optional free text). */
  step?: SurveyDimension | 'comment' | 'helpful';
  scores: Partial<Record<SurveyDimension, number>>;
  helpful?: boolean;
  comment?: string;
  sentAt: Date;
  expiresAt: Date;
  completedAt?: Date;
}

export type SurveyPatch = Partial<Pick<Survey, 'status' | 'step' | 'scores' | 'helpful' | 'comment' | 'completedAt'>>;

export interface SurveyStore {
  create(survey: Omit<Survey, 'id'>): Promise<Survey>;
  get(id: string): Promise<Survey | undefined>;
  update(id: string, patch: SurveyPatch): Promise<Survey>;
  /** The newest pending, unexpired survey of a channel identity. */
  findPending(channel: string, externalUserId: string, now: Date): Promise<Survey | undefined>;
  /** Surveys sent at or after `since`, oldest first. */
  listSentSince(since: Date, limit: number): Promise<Survey[]>;
  listByConversation(conversationId: string): Promise<Survey[]>;
  deleteByConversation(conversationId: string): Promise<number>;
}

/** counselor_care: one counselor had several abusive or crisis chats in a row. */
export type AlertKind = 'crisis' | 'sla_breach' | 'abuse' | 'no_counselor' | 'counselor_care';
export const ALERT_KINDS: readonly AlertKind[] = ['crisis', 'sla_breach', 'abuse', 'no_counselor', 'counselor_care'];

/** Something a supervisor must look at. */
export interface Alert {
  id: string;
  /** Unique: raising the same key twice (e.g. two instances) keeps the first. */
  key: string;
  kind: AlertKind;
  conversationId?: string;
  message: string;
  raisedAt: Date;
  raisedBy?: string;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  details?: Record<string, unknown>;
}

export interface AlertStore {
  /** Inserts under `key`; `created` is false when the key existed (the stored alert is returned). */
  raise(alert: Omit<Alert, 'id'>): Promise<{ alert: Alert; created: boolean }>;
  get(id: string): Promise<Alert | undefined>;
  acknowledge(id: string, by: string, at: Date): Promise<Alert>;
  /** Newest first; `open` = not acknowledged. */
  list(query: { open?: boolean; since?: Date; limit?: number }): Promise<Alert[]>;
  deleteByConversation(conversationId: string): Promise<number>;
}

/** A moderation flag on one stored message (kept as evidence; the message itself is never edited). */
export interface MessageFlag {
  messageId: string;
  conversationId: string;
  kind: 'abusive';
  at: Date;
}

export interface MessageFlagStore {
  /** Idempotent per message + kind. */
  flag(flag: MessageFlag): Promise<void>;
  listByConversation(conversationId: string): Promise<MessageFlag[]>;
  deleteByConversation(conversationId: string): Promise<number>;
}

/** One daily counter (conversations, escalations, per channel, per intent...). */
export interface FigureCount {
  /** YYYY-MM-DD in the center's time zone. */
  day: string;
  key: string;
  count: number;
}

export interface FigureStore {
  increment(day: string, key: string, by?: number): Promise<void>;
  /** Counters of days from..to inclusive (string comparison on YYYY-MM-DD). */
  list(fromDay: string, toDay: string): Promise<FigureCount[]>;
}

/** Store members added by the handoff; `Store` extends this. */
export interface HandoffStores {
  episodes: EpisodeStore;
  surveys: SurveyStore;
  alerts: AlertStore;
  messageFlags: MessageFlagStore;
  figures: FigureStore;
}
