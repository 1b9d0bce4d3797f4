/**
 * Quality reviews of closed chats: the reviewers' queue, scoring against the checklist, the
 * counselor's acknowledge or dispute, and queueing a chat by hand. Every contested step (two
 * reviewers scoring the same round, a counselor answering twice from two tabs) is decided by a
 * unique claim in the store, so several instances agree without locks. Every step is audited.
 */
import { DajeongError } from '../core/errors';
import type { QaChecklist, QaReview, QaStatus } from '../core/qa-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from './handoff-errors';
import { scoreAnswers, type AnswerInput } from './qa-checklist';
import { koreaDay } from './shift-schedule';

/** Most reviews one list returns (a day's sample of a large floor fits). */
export const QA_LIST_LIMIT = 500;

export interface ScoreInput {
  answers: AnswerInput[];
  comment?: string;
}

export interface QaServiceDeps {
  store: Store;
  checklist: QaChecklist;
}

export class QaService {
  constructor(private readonly deps: QaServiceDeps) {}

  get checklist(): QaChecklist {
    return this.deps.checklist;
  }

  /** Reviews waiting for a reviewer: new ones and disputed ones, oldest close first. */
  queue(statuses: QaStatus[] = ['pending', 'disputed']): Promise<QaReview[]> {
    return this.deps.store.qaReviews.list({ statuses, limit: QA_LIST_LIMIT });
  }

  /** A counselor's own reviews once scored (pending ones are not shown: nothing to read yet). */
  async mine(counselorId: string): Promise<QaReview[]> {
    const reviews = await this.deps.store.qaReviews.list({ counselorId, statuses: ['scored', 'acknowledged', 'disputed'], limit: QA_LIST_LIMIT });
    return reviews.reverse();
  }

  async get(id: string): Promise<QaReview> {
    const review = await this.deps.store.qaReviews.get(id);
    if (!review) throw new HandoffError(404, 'not_found', { key: 'staff.error.qaReviewNotFound' });
    return review;
  }

  /** What a user may read: reviewers everything, a counselor only their own scored reviews. */
  async readable(id: string, user: ConsoleUser): Promise<QaReview> {
    const review = await this.get(id);
    if (user.role === 'counselor' && (review.counselorId !== user.id || review.status === 'pending')) {
      throw new HandoffError(403, 'forbidden', { key: 'staff.error.qaNotYours' });
    }
    return review;
  }

  /**
   * Scores a pending review (round 1) or answers a dispute (the next round).
   * @throws 409 own chat, not waiting for a score, or another reviewer scored this round first; 400 answer problems by field.
   */
  async score(id: string, reviewer: ConsoleUser, input: ScoreInput, now = new Date()): Promise<QaReview> {
    const { store, checklist } = this.deps;
    const review = await this.get(id);
    if (review.counselorId === reviewer.id) throw new HandoffError(409, 'own_review', { key: 'staff.error.qaOwnReview' });
    if (review.status !== 'pending' && review.status !== 'disputed') throw new HandoffError(409, 'not_scorable', { key: 'staff.error.qaNotScorable' });
    const result = scoreAnswers(checklist, input.answers);
    if ('problems' in result) {
      throw new DajeongError('validation', `Invalid answers: ${result.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { details: { fields: result.problems } });
    }
    const round = review.scorings.length + 1;
    if (!(await store.qaReviews.claim({ key: `qa-score:${id}:${round}`, subject: id, by: reviewer.id, at: now }))) {
      throw new HandoffError(409, 'already_scored', { key: 'staff.error.qaAlreadyScored' });
    }
    const comment = input.comment?.trim();
    const scoring = { round, reviewerId: reviewer.id, checklistVersion: checklist.version, ...result, ...(comment && { comment }), scoredAt: now };
    const updated = await store.qaReviews.update(id, { status: 'scored', scorings: [...review.scorings, scoring] }, now);
    await store.audit.record({
      actor: reviewer.id,
      action: 'qa.score',
      subject: review.conversationId,
      details: { reviewId: id, round, score: result.score, rawScore: result.rawScore, criticalFailed: result.criticalFailed, counselorId: review.counselorId },
      at: now,
    });
    return updated;
  }

  /**
   * The counselor acknowledges the scoring in force, or disputes it with a comment (back to the reviewers).
   * @throws 403 not their review; 409 nothing to answer (or answered already); 400 a dispute without a comment.
   */
  async respond(id: string, counselor: ConsoleUser, kind: 'acknowledge' | 'dispute', comment: string | undefined, now = new Date()): Promise<QaReview> {
    const { store } = this.deps;
    const review = await this.get(id);
    if (review.counselorId !== counselor.id) throw new HandoffError(403, 'forbidden', { key: 'staff.error.qaNotYours' });
    if (review.status !== 'scored') throw new HandoffError(409, 'not_awaiting_answer', { key: 'staff.error.qaNotAwaitingAnswer' });
    const text = comment?.trim();
    if (kind === 'dispute' && !text) throw new HandoffError(400, 'validation', { key: 'staff.error.qaDisputeComment' });
    const round = review.scorings.length;
    if (!(await store.qaReviews.claim({ key: `qa-respond:${id}:${round}`, subject: id, by: counselor.id, at: now }))) {
      throw new HandoffError(409, 'not_awaiting_answer', { key: 'staff.error.qaNotAwaitingAnswer' });
    }
    const response = { round, kind, ...(text && { comment: text }), at: now };
    const updated = await store.qaReviews.update(id, { status: kind === 'acknowledge' ? 'acknowledged' : 'disputed', responses: [...review.responses, response] }, now);
    await store.audit.record({ actor: counselor.id, action: `qa.${kind}`, subject: review.conversationId, details: { reviewId: id, round, ...(text && { comment: text }) }, at: now });
    return updated;
  }

  /**
   * Queues one closed chat for review by hand (a supervisor saw something); a chat already queued
   * keeps its review.
   * @throws 404 no such chat; 409 the chat has no closed episode with a counselor.
   */
  async enqueue(conversationId: string, by: ConsoleUser, now = new Date()): Promise<{ review: QaReview; created: boolean }> {
    const { store } = this.deps;
    const conversation = await store.conversations.get(conversationId);
    if (!conversation) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: conversationId } });
    const episode = (await store.episodes.listByConversation(conversationId)).filter((e) => e.outcome === 'closed' && e.counselorId && e.endedAt).at(-1);
    if (!episode) throw new HandoffError(409, 'not_closed', { key: 'staff.error.qaNotClosed' });
    const counselor = await store.users.get(episode.counselorId!);
    const result = await store.qaReviews.create(
      {
        conversationId,
        handoffSeq: episode.handoffSeq,
        counselorId: episode.counselorId!,
        teams: counselor?.teams ?? [],
        channel: episode.channel,
        language: episode.language,
        closedAt: episode.endedAt!,
        day: koreaDay(episode.endedAt!),
        reasons: ['manual'],
      },
      now,
    );
    if (result.created) await store.audit.record({ actor: by.id, action: 'qa.enqueue', subject: conversationId, details: { reviewId: result.review.id }, at: now });
    return result;
  }
}
