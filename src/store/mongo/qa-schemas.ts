/**
 * Collections of quality monitoring: qaReviews (`_id` = `qa:<conversationId>`, so a chat is queued
 * once, decided by the insert) and qaClaims (`_id` = the claim key: the daily sampling run, one
 * scoring per round, one counselor answer per round).
 */
import { Schema } from 'mongoose';
import { QA_REASONS, QA_RESULTS, QA_STATUSES, type QaClaim, type QaReview } from '../../core/qa-port';
import { BASE_OPTIONS, EMBEDDED_OPTIONS, requiredString } from './schema-options';

export type QaReviewDoc = Omit<QaReview, 'id'> & { _id: string };

const answerSchema = new Schema(
  {
    itemId: requiredString,
    result: { type: String, required: true, enum: [...QA_RESULTS] },
    comment: String,
    weight: { type: Number, required: true, min: 0 },
    critical: { type: Boolean, required: true },
  },
  EMBEDDED_OPTIONS,
);

const scoringSchema = new Schema(
  {
    round: { type: Number, required: true, min: 1 },
    reviewerId: requiredString,
    checklistVersion: requiredString,
    answers: { type: [answerSchema], required: true },
    score: { type: Number, required: true, min: 0, max: 100 },
    rawScore: { type: Number, required: true, min: 0, max: 100 },
    criticalFailed: { type: Boolean, required: true },
    comment: String,
    scoredAt: { type: Date, required: true },
  },
  EMBEDDED_OPTIONS,
);

const responseSchema = new Schema(
  {
    round: { type: Number, required: true, min: 1 },
    kind: { type: String, required: true, enum: ['acknowledge', 'dispute'] },
    comment: String,
    at: { type: Date, required: true },
  },
  EMBEDDED_OPTIONS,
);

export const qaReviewSchema = new Schema<QaReviewDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    handoffSeq: { type: Number, required: true, min: 0 },
    counselorId: requiredString,
    teams: { type: [String], required: true },
    channel: requiredString,
    language: requiredString,
    closedAt: { type: Date, required: true },
    day: requiredString,
    reasons: { type: [{ type: String, enum: [...QA_REASONS] }], required: true },
    status: { type: String, required: true, enum: [...QA_STATUSES] },
    scorings: { type: [scoringSchema], required: true },
    responses: { type: [responseSchema], required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
qaReviewSchema.index({ status: 1, closedAt: 1 }); // the reviewers' queue
qaReviewSchema.index({ counselorId: 1, closedAt: 1 }); // a counselor's own reviews
qaReviewSchema.index({ closedAt: 1 }); // reports over a period

export type QaClaimDoc = Omit<QaClaim, 'key'> & { _id: string };

export const qaClaimSchema = new Schema<QaClaimDoc>(
  {
    _id: requiredString,
    subject: String,
    by: requiredString,
    at: { type: Date, required: true },
    data: Schema.Types.Mixed,
    completedAt: Date,
  },
  BASE_OPTIONS,
);
qaClaimSchema.index({ subject: 1 });
