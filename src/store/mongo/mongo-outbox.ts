/**
 * OutboxStore on MongoDB. A worker leases attempt N of an entry by inserting {outboxId, attempt: N}
 * into outboxLeases; the unique index lets exactly one worker win, and only the winner moves the
 * entry's attempt counter and hides it for the lease period. FerretDB does not apply filtered
 * updates atomically, so the update alone could hand one attempt to several workers.
 */
import { newId } from '../../core/ids';
import type { OutboxEntry, OutboxStatus, OutboxStore } from '../../core/store-port';
import { LEASE_MS } from '../memory-store';
import { isDuplicateKey } from './errors';
import { fromDoc } from './mapping';
import type { Models } from './models';
import type { OutboxDoc } from './outbox-schema';

/** Candidates read per requested entry, so a worker that loses some races can still fill its batch. */
const CANDIDATES_PER_SLOT = 3;

const toEntry = (doc: OutboxDoc) => fromDoc<OutboxEntry>(doc);

export class MongoOutbox implements OutboxStore {
  constructor(private readonly m: Pick<Models, 'outbox' | 'outboxLeases'>) {}

  async enqueue(
    input: Pick<OutboxEntry, 'messageId' | 'conversationId' | 'channel' | 'externalUserId'>,
  ): Promise<OutboxEntry> {
    const now = new Date();
    const doc: OutboxDoc = {
      _id: newId(),
      messageId: input.messageId,
      conversationId: input.conversationId,
      channel: input.channel,
      externalUserId: input.externalUserId,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    };
    await this.m.outbox.create(doc);
    return toEntry(doc);
  }

  async leaseDue(now: Date, limit: number, workerId: string): Promise<OutboxEntry[]> {
    if (limit <= 0) return [];
    const candidates = await this.m.outbox
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit * CANDIDATES_PER_SLOT)
      .lean<OutboxDoc[]>();
    const leased: OutboxEntry[] = [];
    for (const candidate of candidates) {
      if (leased.length >= limit) break;
      if (!(await this.insertLease(candidate, workerId))) continue;
      // The guard only narrows the window in which our read went stale (e.g. marked failed for
      // good meanwhile); the lease insert above is what makes the attempt ours alone.
      const doc = await this.m.outbox
        .findOneAndUpdate(
          { _id: candidate._id, status: 'pending', attempts: candidate.attempts },
          { $set: { attempts: candidate.attempts + 1, nextAttemptAt: new Date(now.getTime() + LEASE_MS) } },
          { returnDocument: 'after' },
        )
        .lean<OutboxDoc>();
      if (doc) leased.push(toEntry(doc));
    }
    return leased;
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.m.outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: at } });
  }

  async markFailed(id: string, error: string, retryAt?: Date): Promise<void> {
    const $set = retryAt
      ? { lastError: error, nextAttemptAt: retryAt }
      : { lastError: error, status: 'failed' };
    await this.m.outbox.updateOne({ _id: id }, { $set });
  }

  async listByStatus(status: OutboxStatus, limit: number): Promise<OutboxEntry[]> {
    const docs = await this.m.outbox
      .find({ status })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<OutboxDoc[]>();
    return docs.map(toEntry);
  }

  async deleteByConversation(conversationId: string): Promise<number> {
    const result = await this.m.outbox.deleteMany({ conversationId });
    await this.m.outboxLeases.deleteMany({ conversationId });
    return result.deletedCount;
  }

  /** True when this worker inserted the lease for the candidate's next attempt. */
  private async insertLease(candidate: OutboxDoc, workerId: string): Promise<boolean> {
    try {
      await this.m.outboxLeases.create({
        _id: newId(),
        outboxId: candidate._id,
        attempt: candidate.attempts + 1,
        workerId,
        conversationId: candidate.conversationId,
        leasedAt: new Date(),
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}
