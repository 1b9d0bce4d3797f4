/** OutboxStore in memory: one process, so a map of conversation leases is the whole arbitration. */
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
import { clone } from './clone';

interface Lease {
  token: string;
  entryId: string;
  expiresAt: Date;
}

const byOrder = (a: OutboxEntry, b: OutboxEntry) => a.seq - b.seq || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);

export class MemoryOutbox implements OutboxStore {
  private readonly byId = new Map<string, OutboxEntry>();
  /** conversationId -> its current lease. */
  private readonly leases = new Map<string, Lease>();

  /** @param seqOf the seq of a stored message (used when enqueue is not told it) */
  constructor(private readonly seqOf: (messageId: string) => number | undefined) {}

  async enqueue(input: NewOutboxEntry): Promise<OutboxEntry> {
    const now = new Date();
    const entry: OutboxEntry = {
      ...input,
      seq: input.seq ?? this.seqOf(input.messageId) ?? 0,
      id: newId(),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    };
    this.byId.set(entry.id, entry);
    return clone(entry);
  }

  async leaseDue(now: Date, limit: number, _workerId: string): Promise<LeasedOutboxEntry[]> {
    const heads = new Map<string, OutboxEntry>();
    for (const e of [...this.byId.values()].filter((x) => x.status === 'pending').sort(byOrder)) {
      if (!heads.has(e.conversationId)) heads.set(e.conversationId, e);
    }
    const leased: LeasedOutboxEntry[] = [];
    const due = [...heads.values()].filter((e) => e.nextAttemptAt <= now).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    for (const head of due) {
      if (leased.length >= limit) break;
      const held = this.leases.get(head.conversationId);
      if (held && !leaseAbandoned(held.expiresAt, now)) continue;
      const lease: Lease = { token: newId(), entryId: head.id, expiresAt: leaseExpiry(now) };
      this.leases.set(head.conversationId, lease);
      head.attempts += 1;
      leased.push({ ...clone(head), lease: { token: lease.token, expiresAt: new Date(lease.expiresAt) } });
    }
    return leased;
  }

  async renewLease(entry: LeasedOutboxEntry, now: Date): Promise<Date | undefined> {
    const lease = this.held(entry, now);
    if (!lease) return undefined;
    lease.expiresAt = leaseExpiry(now);
    return new Date(lease.expiresAt);
  }

  async markSent(entry: LeasedOutboxEntry, at: Date): Promise<boolean> {
    return this.markSentAndHandOn(entry, at, false).marked;
  }

  async markSentAndLeaseNext(entry: LeasedOutboxEntry, at: Date): Promise<{ marked: boolean; next?: LeasedOutboxEntry }> {
    return this.markSentAndHandOn(entry, at, true);
  }

  async markFailed(entry: LeasedOutboxEntry, error: string, retryAt?: Date): Promise<boolean> {
    const e = this.byId.get(entry.id);
    if (!e || !this.held(entry, new Date())) return false;
    e.lastError = error;
    if (retryAt) e.nextAttemptAt = retryAt;
    else e.status = 'failed';
    this.leases.delete(entry.conversationId);
    return true;
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const e = this.byId.get(id);
    return e && clone(e);
  }

  async listByStatus(status: OutboxStatus, limit: number): Promise<OutboxEntry[]> {
    return clone(this.sorted((e) => e.status === status).slice(0, limit));
  }

  async listRetrying(limit: number): Promise<OutboxEntry[]> {
    return clone(this.sorted((e) => e.status === 'pending' && e.lastError !== undefined).slice(0, limit));
  }

  async retry(id: string, now: Date): Promise<OutboxEntry | undefined> {
    const e = this.byId.get(id);
    if (e?.status !== 'failed') return undefined;
    Object.assign(e, { status: 'pending', attempts: 0, nextAttemptAt: now, reviewedAt: now });
    return clone(e);
  }

  async discard(id: string, now: Date): Promise<OutboxEntry | undefined> {
    const e = this.byId.get(id);
    if (e?.status !== 'failed') return undefined;
    Object.assign(e, { status: 'discarded', reviewedAt: now });
    return clone(e);
  }

  async summary(): Promise<OutboxSummary> {
    const pending = this.sorted((e) => e.status === 'pending');
    return {
      pending: pending.length,
      failed: [...this.byId.values()].filter((e) => e.status === 'failed').length,
      ...(pending[0] && { oldestPendingAt: new Date(pending[0].createdAt) }),
    };
  }

  async deleteByConversation(conversationId: string): Promise<number> {
    let n = 0;
    for (const [id, e] of this.byId) {
      if (e.conversationId === conversationId) {
        this.byId.delete(id);
        n++;
      }
    }
    this.leases.delete(conversationId);
    return n;
  }

  /** Marks the entry sent and ends the lease, or with `handOn` keeps it for the conversation's next due entry. */
  private markSentAndHandOn(entry: LeasedOutboxEntry, at: Date, handOn: boolean): { marked: boolean; next?: LeasedOutboxEntry } {
    const e = this.byId.get(entry.id);
    const lease = this.held(entry, at);
    if (!e || !lease) return { marked: false };
    Object.assign(e, { status: 'sent', sentAt: at });
    const head = handOn ? this.headOf(entry.conversationId) : undefined;
    if (!head || head.nextAttemptAt > at) {
      this.leases.delete(entry.conversationId);
      return { marked: true };
    }
    Object.assign(lease, { entryId: head.id, expiresAt: leaseExpiry(at) });
    head.attempts += 1;
    return { marked: true, next: { ...clone(head), lease: { token: lease.token, expiresAt: new Date(lease.expiresAt) } } };
  }

  /** The conversation's oldest pending entry (by message seq). */
  private headOf(conversationId: string): OutboxEntry | undefined {
    return [...this.byId.values()].filter((x) => x.status === 'pending' && x.conversationId === conversationId).sort(byOrder)[0];
  }

  /** The lease when `entry` still holds it at `now`. */
  private held(entry: LeasedOutboxEntry, now: Date): Lease | undefined {
    const lease = this.leases.get(entry.conversationId);
    return lease && lease.token === entry.lease.token && leaseHeld(lease.expiresAt, now) ? lease : undefined;
  }

  /** Entries matching `keep`, oldest first. */
  private sorted(keep: (e: OutboxEntry) => boolean): OutboxEntry[] {
    return [...this.byId.values()].filter(keep).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }
}
