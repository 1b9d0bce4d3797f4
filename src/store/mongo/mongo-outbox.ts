/**
 * OutboxStore on MongoDB, correct on stock FerretDB (whose filtered updates are not atomic):
 *
 *  - Leasing: a worker leases a conversation by inserting {_id: token, conversationId} into
 *    outboxConversationLeases; the unique index on conversationId lets exactly one insert win. A
 *    lease left by a crashed worker is deleted (by its own _id) only LEASE_GRACE_MS after it
 *    expired, and the taker's insert then races like any other.
 *  - After winning, the worker reads the conversation's head again: the entry it saw may have been
 *    sent and the lease released in between, and sending it again would be a duplicate.
 *  - Only the lease holder writes an entry (attempts, status), so those plain updates never race
 *    with another worker's. "Mark sent/failed" first checks that the lease record still exists and
 *    has not expired, and the update also matches the entry's leaseToken: a holder that lost its
 *    lease changes nothing and is told so.
 */
import { newId } from '../../core/ids';
import type {
  LeasedOutboxEntry,
  NewOutboxEntry,
  OutboxEntry,
  OutboxStatus,
  OutboxStore,
  OutboxSummary,
} from '../../core/store-port';
import { leaseAbandoned, leaseExpiry, leaseHeld } from '../outbox-lease';
import { isDuplicateKey } from './errors';
import { fromDoc } from './mapping';
import type { Models } from './models';
import type { OutboxConversationLeaseDoc, OutboxDoc } from './outbox-schema';

/** Candidate entries read per requested lease, so a pass that loses races can still fill up. */
const CANDIDATES_PER_SLOT = 3;

const toEntry = (doc: OutboxDoc): OutboxEntry => ({ ...fromDoc<OutboxEntry>(doc, ['leaseToken']), seq: doc.seq ?? 0 });

export class MongoOutbox implements OutboxStore {
  constructor(private readonly m: Pick<Models, 'outbox' | 'outboxLeases' | 'messages'>) {}

  async enqueue(input: NewOutboxEntry): Promise<OutboxEntry> {
    const now = new Date();
    const seq = input.seq ?? (await this.m.messages.findById(input.messageId, { seq: 1 }).lean<{ seq?: number }>())?.seq ?? 0;
    const doc: OutboxDoc = {
      _id: newId(),
      messageId: input.messageId,
      conversationId: input.conversationId,
      seq,
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

  async leaseDue(now: Date, limit: number, workerId: string): Promise<LeasedOutboxEntry[]> {
    if (limit <= 0) return [];
    // Conversations someone is sending to right now need no look (their leases are bounded by the
    // workers' concurrency, so this list stays short).
    const busy = await this.m.outboxLeases
      .find({ expiresAt: { $gt: new Date(now.getTime() - 60_000) } }, { conversationId: 1, expiresAt: 1 })
      .lean<Pick<OutboxConversationLeaseDoc, 'conversationId' | 'expiresAt'>[]>();
    const live = busy.filter((l) => !leaseAbandoned(l.expiresAt, now)).map((l) => l.conversationId);
    const candidates = await this.m.outbox
      .find(
        { status: 'pending', nextAttemptAt: { $lte: now }, ...(live.length && { conversationId: { $nin: live } }) },
        { conversationId: 1 },
      )
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit * CANDIDATES_PER_SLOT)
      .lean<Pick<OutboxDoc, '_id' | 'conversationId'>[]>();
    const conversations = [...new Set(candidates.map((c) => c.conversationId))];
    const leased: LeasedOutboxEntry[] = [];
    for (const conversationId of conversations) {
      if (leased.length >= limit) break;
      const entry = await this.leaseHead(conversationId, now, workerId);
      if (entry) leased.push(entry);
    }
    return leased;
  }

  async renewLease(entry: LeasedOutboxEntry, now: Date): Promise<Date | undefined> {
    if (!leaseHeld(entry.lease.expiresAt, now)) return undefined;
    const expiresAt = leaseExpiry(now);
    const res = await this.m.outboxLeases.updateOne({ _id: entry.lease.token }, { $set: { expiresAt } });
    return res.matchedCount === 1 ? expiresAt : undefined;
  }

  async markSent(entry: LeasedOutboxEntry, at: Date): Promise<boolean> {
    return (await this.finish(entry, at, { $set: { status: 'sent', sentAt: at } })).marked;
  }

  async markSentAndLeaseNext(entry: LeasedOutboxEntry, at: Date): Promise<{ marked: boolean; next?: LeasedOutboxEntry }> {
    return this.finish(entry, at, { $set: { status: 'sent', sentAt: at } }, true);
  }

  async markFailed(entry: LeasedOutboxEntry, error: string, retryAt?: Date): Promise<boolean> {
    const $set = retryAt ? { lastError: error, nextAttemptAt: retryAt } : { lastError: error, status: 'failed' };
    return (await this.finish(entry, new Date(), { $set })).marked;
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const doc = await this.m.outbox.findById(id).lean<OutboxDoc>();
    return doc ? toEntry(doc) : undefined;
  }

  async listByStatus(status: OutboxStatus, limit: number): Promise<OutboxEntry[]> {
    const docs = await this.m.outbox.find({ status }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<OutboxDoc[]>();
    return docs.map(toEntry);
  }

  async listRetrying(limit: number): Promise<OutboxEntry[]> {
    const docs = await this.m.outbox
      .find({ status: 'pending', lastError: { $exists: true } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<OutboxDoc[]>();
    return docs.map(toEntry);
  }

  async retry(id: string, now: Date): Promise<OutboxEntry | undefined> {
    return this.review(id, { status: 'pending', attempts: 0, nextAttemptAt: now, reviewedAt: now });
  }

  async discard(id: string, now: Date): Promise<OutboxEntry | undefined> {
    return this.review(id, { status: 'discarded', reviewedAt: now });
  }

  async summary(): Promise<OutboxSummary> {
    const [pending, failed, oldest] = await Promise.all([
      this.m.outbox.countDocuments({ status: 'pending' }),
      this.m.outbox.countDocuments({ status: 'failed' }),
      this.m.outbox.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1, _id: 1 }).lean<Pick<OutboxDoc, 'createdAt'>>(),
    ]);
    return { pending, failed, ...(oldest && { oldestPendingAt: oldest.createdAt }) };
  }

  async deleteByConversation(conversationId: string): Promise<number> {
    const result = await this.m.outbox.deleteMany({ conversationId });
    await this.m.outboxLeases.deleteMany({ conversationId });
    return result.deletedCount;
  }

  /** Leases the conversation and returns its head entry, or undefined when not ours or not due. */
  private async leaseHead(conversationId: string, now: Date, workerId: string): Promise<LeasedOutboxEntry | undefined> {
    const seen = await this.head(conversationId);
    if (!seen || seen.nextAttemptAt > now) return undefined; // an older entry waits for its retry
    const lease: OutboxConversationLeaseDoc = {
      _id: newId(),
      conversationId,
      outboxId: seen._id,
      attempt: seen.attempts + 1,
      workerId,
      leasedAt: now,
      expiresAt: leaseExpiry(now),
    };
    if (!(await this.insertLease(lease, now))) return undefined;
    // Read again under the lease: the head seen above may have been sent meanwhile.
    const head = await this.head(conversationId);
    if (!head || head.nextAttemptAt > now) {
      await this.m.outboxLeases.deleteOne({ _id: lease._id });
      return undefined;
    }
    const doc = await this.m.outbox
      .findOneAndUpdate({ _id: head._id }, { $set: { attempts: head.attempts + 1, leaseToken: lease._id } }, { returnDocument: 'after' })
      .lean<OutboxDoc>();
    if (!doc) {
      await this.m.outboxLeases.deleteOne({ _id: lease._id });
      return undefined;
    }
    return { ...toEntry(doc), lease: { token: lease._id, expiresAt: lease.expiresAt } };
  }

  /** The conversation's oldest pending entry (by message seq). */
  private head(conversationId: string): Promise<OutboxDoc | null> {
    return this.m.outbox.findOne({ conversationId, status: 'pending' }).sort({ seq: 1, createdAt: 1, _id: 1 }).lean<OutboxDoc>();
  }

  /** True when this insert won the conversation; takes over a lease abandoned by a crashed worker. */
  private async insertLease(lease: OutboxConversationLeaseDoc, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.m.outboxLeases.create(lease);
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const holder = await this.m.outboxLeases.findOne({ conversationId: lease.conversationId }).lean<OutboxConversationLeaseDoc>();
      if (holder && !leaseAbandoned(holder.expiresAt, now)) return false;
      // By its own id: a fresh lease someone else inserted meanwhile is never deleted here.
      if (holder) await this.m.outboxLeases.deleteOne({ _id: holder._id });
    }
    return false;
  }

  /** Applies the holder's final update when it still holds the lease, then ends the lease. */
  /**
   * Writes the holder's mark, then ends the lease; with `handOn`, a marked entry's conversation stays
   * leased under the same token for its next entry when that one is due (returned leased).
   */
  private async finish(
    entry: LeasedOutboxEntry,
    now: Date,
    update: { $set: Record<string, unknown> },
    handOn = false,
  ): Promise<{ marked: boolean; next?: LeasedOutboxEntry }> {
    const lease = await this.m.outboxLeases.findById(entry.lease.token).lean<OutboxConversationLeaseDoc>();
    if (!lease || !leaseHeld(lease.expiresAt, now)) return { marked: false };
    const res = await this.m.outbox.updateOne(
      { _id: entry.id, leaseToken: entry.lease.token },
      { ...update, $unset: { leaseToken: 1 } },
    );
    const marked = res.matchedCount === 1;
    const next = marked && handOn ? await this.leaseNextUnder(entry, now) : undefined;
    // Released only after the entry's new state is written: the next lease must see it.
    if (!next) await this.m.outboxLeases.deleteOne({ _id: entry.lease.token });
    return next ? { marked, next } : { marked };
  }

  /**
   * The conversation's next entry, leased under `entry`'s token, when it is due at `now`. Still the
   * holder (the record is ours by its _id, checked and not expired): the entry is written as a fresh
   * lease would write it.
   */
  private async leaseNextUnder(entry: LeasedOutboxEntry, now: Date): Promise<LeasedOutboxEntry | undefined> {
    const head = await this.head(entry.conversationId);
    if (!head || head.nextAttemptAt > now) return undefined;
    const token = entry.lease.token;
    const expiresAt = leaseExpiry(now);
    const renewed = await this.m.outboxLeases.updateOne({ _id: token }, { $set: { expiresAt, outboxId: head._id, attempt: head.attempts + 1 } });
    if (renewed.matchedCount !== 1) return undefined;
    const doc = await this.m.outbox
      .findOneAndUpdate({ _id: head._id }, { $set: { attempts: head.attempts + 1, leaseToken: token } }, { returnDocument: 'after' })
      .lean<OutboxDoc>();
    return doc ? { ...toEntry(doc), lease: { token, expiresAt } } : undefined;
  }

  /** A supervisor's change to a failed entry; undefined when it is not failed (or gone). */
  private async review(id: string, $set: Record<string, unknown>): Promise<OutboxEntry | undefined> {
    const doc = await this.m.outbox
      .findOneAndUpdate({ _id: id, status: 'failed' }, { $set }, { returnDocument: 'after' })
      .lean<OutboxDoc>();
    return doc ? toEntry(doc) : undefined;
  }
}
