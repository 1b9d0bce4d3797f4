/**
 * Quality monitoring (ISO 9001 style): the checklist closed chats are scored against, the reviews
 * (sampled, scored, acknowledged or disputed) and their storage port. Contested steps (two
 * reviewers scoring one review, a counselor answering twice, two instances running the daily
 * sample) are decided by inserting a claim under a unique key.
 */

/** A text in Korean and English (the console's two languages). */
export interface QaText {
  ko: string;
  en: string;
}

export interface QaChecklistItem {
  /** Stable id, unique in the checklist (reports group by it). */
  id: string;
  text: QaText;
  /** What a reviewer looks for. */
  guide?: QaText;
  /** Share of the score, relative to the other applicable items. */
  weight: number;
  /** A failed critical item fails the whole review (score 0). */
  critical: boolean;
  /** The item may be marked "not applicable" (e.g. no identity check was needed). */
  allowNa: boolean;
}

export interface QaChecklistGroup {
  id: string;
  title: QaText;
  items: QaChecklistItem[];
}

export interface QaChecklist {
  /** Changes whenever items change; stored with each score. */
  version: string;
  title: QaText;
  groups: QaChecklistGroup[];
}

export type QaResult = 'pass' | 'fail' | 'na';
export const QA_RESULTS: readonly QaResult[] = ['pass', 'fail', 'na'];

/** A reviewer's answer to one item, with the item's weight and criticality at scoring time. */
export interface QaAnswer {
  itemId: string;
  result: QaResult;
  comment?: string;
  weight: number;
  critical: boolean;
}

/** Why a chat was queued for review. */
export type QaReason = 'sample' | 'low_csat' | 'abuse' | 'crisis' | 'manual';
export const QA_REASONS: readonly QaReason[] = ['sample', 'low_csat', 'abuse', 'crisis', 'manual'];

/**
 * pending: waiting for a reviewer; scored: waiting for the counselor; acknowledged: the counselor
 * accepted it (final); disputed: the counselor disagreed, back with the supervisors.
 */
export type QaStatus = 'pending' | 'scored' | 'acknowledged' | 'disputed';
export const QA_STATUSES: readonly QaStatus[] = ['pending', 'scored', 'acknowledged', 'disputed'];

/** One scoring of a review (a review is scored again after a dispute). */
export interface QaScoring {
  /** 1 for the first scoring, 2 for the supervisor's answer to a dispute. */
  round: number;
  reviewerId: string;
  checklistVersion: string;
  answers: QaAnswer[];
  /** 0–100: weights passed over weights applicable; 0 when a critical item failed. */
  score: number;
  /** The same without the critical rule, to show how close the rest was. */
  rawScore: number;
  criticalFailed: boolean;
  comment?: string;
  scoredAt: Date;
}

/** The counselor's answer to a scoring. */
export interface QaResponse {
  round: number;
  kind: 'acknowledge' | 'dispute';
  comment?: string;
  at: Date;
}

export interface QaReview {
  /** `qa:<conversationId>`: one review per closed chat, decided by the insert. */
  id: string;
  conversationId: string;
  /** The episode that was closed. */
  handoffSeq: number;
  counselorId: string;
  /** The counselor's teams when the chat was queued for review (reports by team). */
  teams: string[];
  channel: string;
  language: string;
  closedAt: Date;
  /** Korea day of the close (YYYY-MM-DD). */
  day: string;
  reasons: QaReason[];
  status: QaStatus;
  /** Every scoring, oldest first; the last is the one in force. */
  scorings: QaScoring[];
  responses: QaResponse[];
  createdAt: Date;
  updatedAt: Date;
}

export type NewQaReview = Omit<QaReview, 'id' | 'status' | 'scorings' | 'responses' | 'createdAt' | 'updatedAt'>;

export type QaReviewPatch = Partial<Pick<QaReview, 'status' | 'scorings' | 'responses' | 'reasons'>>;

export interface QaReviewQuery {
  statuses?: QaStatus[];
  counselorId?: string;
  /** Closed at or after / before (exclusive). */
  closedFrom?: Date;
  closedBefore?: Date;
  limit: number;
}

/** A claim decided by a unique insert; `data` travels with it (e.g. a sampling seed). */
export interface QaClaim {
  key: string;
  /** The review the claim is about, so deleting the review removes its claims. */
  subject?: string;
  by: string;
  at: Date;
  data?: Record<string, unknown>;
  completedAt?: Date;
}

export interface QaStore {
  /** Inserts the review under its conversation; `created` is false (and the stored one returned) when it existed. */
  create(input: NewQaReview, now: Date): Promise<{ review: QaReview; created: boolean }>;
  get(id: string): Promise<QaReview | undefined>;
  /** Plain update (contested steps take a claim first); rejects with 'not_found'. */
  update(id: string, patch: QaReviewPatch, now: Date): Promise<QaReview>;
  /** Reviews matching the query, oldest close first. */
  list(query: QaReviewQuery): Promise<QaReview[]>;
  /** True for exactly one of several concurrent callers with the same key. */
  claim(claim: QaClaim): Promise<boolean>;
  getClaim(key: string): Promise<QaClaim | undefined>;
  /** Marks a claim's work done. */
  completeClaim(key: string, at: Date): Promise<void>;
  /** Privacy deletion and retention: the conversation's review; returns how many were removed. */
  deleteByConversation(conversationId: string): Promise<number>;
}

/** The review id of a conversation. */
export const qaReviewId = (conversationId: string) => `qa:${conversationId}`;
