/** QaStore on MongoDB: reviews keyed by conversation, claims keyed by their key (unique `_id`s). */
import { DajeongError } from '../../core/errors';
import { qaReviewId, type NewQaReview, type QaClaim, type QaReview, type QaReviewPatch, type QaReviewQuery, type QaStore } from '../../core/qa-port';
import { isDuplicateKey } from './errors';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';
import type { QaClaimDoc, QaReviewDoc } from './qa-schemas';

const toReview = (doc: QaReviewDoc) => fromDoc<QaReview>(doc);

export class MongoQa implements QaStore {
  constructor(private readonly m: Pick<Models, 'qaReviews' | 'qaClaims'>) {}

  async create(input: NewQaReview, now: Date) {
    const _id = qaReviewId(input.conversationId);
    try {
      const created = await this.m.qaReviews.create({ ...defined(input), _id, status: 'pending', scorings: [], responses: [], createdAt: now, updatedAt: now });
      return { review: toReview(created.toObject<QaReviewDoc>()), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.get(_id);
      if (!existing) throw err;
      return { review: existing, created: false };
    }
  }

  async get(id: string) {
    const doc = await this.m.qaReviews.findById(id).lean<QaReviewDoc>();
    return doc ? toReview(doc) : undefined;
  }

  async update(id: string, patch: QaReviewPatch, now: Date) {
    const doc = await this.m.qaReviews
      .findOneAndUpdate({ _id: id }, { $set: defined({ ...patch, updatedAt: now }) }, { returnDocument: 'after', runValidators: true })
      .lean<QaReviewDoc>();
    if (!doc) throw new DajeongError('not_found', `QA review ${id} not found`);
    return toReview(doc);
  }

  async list(query: QaReviewQuery) {
    const filter: Record<string, unknown> = {};
    if (query.statuses) filter['status'] = { $in: query.statuses };
    if (query.counselorId) filter['counselorId'] = query.counselorId;
    if (query.closedFrom || query.closedBefore) {
      filter['closedAt'] = defined({ $gte: query.closedFrom, $lt: query.closedBefore });
    }
    const docs = await this.m.qaReviews.find(filter).sort({ closedAt: 1, _id: 1 }).limit(query.limit).lean<QaReviewDoc[]>();
    return docs.map(toReview);
  }

  async claim(claim: QaClaim) {
    const { key, ...rest } = claim;
    try {
      await this.m.qaClaims.create({ ...defined(rest), _id: key });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async getClaim(key: string) {
    const doc = await this.m.qaClaims.findById(key).lean<QaClaimDoc>();
    if (!doc) return undefined;
    const { id, ...rest } = fromDoc<Omit<QaClaim, 'key'> & { id: string }>(doc);
    return { ...rest, key: id };
  }

  async completeClaim(key: string, at: Date) {
    await this.m.qaClaims.updateOne({ _id: key }, { $set: { completedAt: at } });
  }

  async deleteByConversation(conversationId: string) {
    const id = qaReviewId(conversationId);
    await this.m.qaClaims.deleteMany({ subject: id });
    return (await this.m.qaReviews.deleteMany({ _id: id })).deletedCount;
  }
}
