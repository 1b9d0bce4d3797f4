/** QaStore in memory (embedded store and tests); the same behaviour as the MongoDB one. */
import { DajeongError } from '../../core/errors';
import { qaReviewId, type NewQaReview, type QaClaim, type QaReview, type QaReviewPatch, type QaReviewQuery, type QaStore } from '../../core/qa-port';
import { clone } from './clone';

export class MemoryQa implements QaStore {
  private readonly reviews = new Map<string, QaReview>();
  private readonly claims = new Map<string, QaClaim>();

  async create(input: NewQaReview, now: Date) {
    const id = qaReviewId(input.conversationId);
    const existing = this.reviews.get(id);
    if (existing) return { review: clone(existing), created: false };
    const review: QaReview = { ...clone(input), id, status: 'pending', scorings: [], responses: [], createdAt: now, updatedAt: now };
    this.reviews.set(id, review);
    return { review: clone(review), created: true };
  }

  async get(id: string) {
    const r = this.reviews.get(id);
    return r ? clone(r) : undefined;
  }

  async update(id: string, patch: QaReviewPatch, now: Date) {
    const r = this.reviews.get(id);
    if (!r) throw new DajeongError('not_found', `QA review ${id} not found`);
    Object.assign(r, clone(patch), { updatedAt: now });
    return clone(r);
  }

  async list(query: QaReviewQuery) {
    const out = [...this.reviews.values()].filter(
      (r) =>
        (!query.statuses || query.statuses.includes(r.status)) &&
        (!query.counselorId || r.counselorId === query.counselorId) &&
        (!query.closedFrom || r.closedAt >= query.closedFrom) &&
        (!query.closedBefore || r.closedAt < query.closedBefore),
    );
    out.sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime() || (a.id < b.id ? -1 : 1));
    return clone(out.slice(0, query.limit));
  }

  async claim(claim: QaClaim) {
    if (this.claims.has(claim.key)) return false;
    this.claims.set(claim.key, clone(claim));
    return true;
  }

  async getClaim(key: string) {
    const c = this.claims.get(key);
    return c ? clone(c) : undefined;
  }

  async completeClaim(key: string, at: Date) {
    const c = this.claims.get(key);
    if (c) c.completedAt = at;
  }

  async deleteByConversation(conversationId: string) {
    const id = qaReviewId(conversationId);
    for (const [key, c] of this.claims) if (c.subject === id) this.claims.delete(key);
    return this.reviews.delete(id) ? 1 : 0;
  }
}
