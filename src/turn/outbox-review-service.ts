/**
 * What supervisors do with replies the outbox could not deliver: see the ones given up ('failed')
 * and the ones still retrying, with the platform's last answer; send a failed one again, or discard
 * it. Every retry and discard is written to the audit log with who did it and why it had failed.
 */
import { DajeongError } from '../core/errors';
import type { OutboxEntry, OutboxSummary, Store } from '../core/store-port';

/** Which entries to list: given up, still retrying, or discarded by a supervisor. */
export type OutboxReviewView = 'failed' | 'retrying' | 'discarded';

export interface OutboxReviewItem extends OutboxEntry {
  /** The start of the reply's text, so a supervisor can tell replies apart without opening the chat. */
  preview?: string;
}

export interface OutboxReviewDeps {
  store: Pick<Store, 'outbox' | 'audit' | 'messages'>;
  /** Asks the outbox worker to look now (after a retry). */
  kick?: () => void;
}

const PREVIEW_CHARS = 120;

export class OutboxReviewService {
  constructor(private readonly deps: OutboxReviewDeps) {}

  /** Entries of one view, oldest first, each with a short preview of its message. */
  async list(view: OutboxReviewView, limit: number): Promise<OutboxReviewItem[]> {
    const { outbox, messages } = this.deps.store;
    const entries = view === 'retrying' ? await outbox.listRetrying(limit) : await outbox.listByStatus(view, limit);
    return Promise.all(
      entries.map(async (entry) => {
        const text = (await messages.get(entry.messageId))?.content.text;
        return { ...entry, ...(text && { preview: text.slice(0, PREVIEW_CHARS) }) };
      }),
    );
  }

  summary(): Promise<OutboxSummary> {
    return this.deps.store.outbox.summary();
  }

  /**
   * Sends a failed entry again: it goes out next in its conversation.
   * @throws DajeongError not_found (no such entry) or conflict (not failed: sent, pending or discarded)
   */
  async retry(id: string, actor: string): Promise<OutboxEntry> {
    const before = await this.failed(id);
    const entry = await this.deps.store.outbox.retry(id, new Date());
    if (!entry) throw this.notFailed(id);
    await this.audit('outbox.retry', actor, before);
    this.deps.kick?.();
    return entry;
  }

  /**
   * Gives a failed entry up for good.
   * @throws DajeongError not_found or conflict, as retry()
   */
  async discard(id: string, actor: string, note?: string): Promise<OutboxEntry> {
    const before = await this.failed(id);
    const entry = await this.deps.store.outbox.discard(id, new Date());
    if (!entry) throw this.notFailed(id);
    await this.audit('outbox.discard', actor, before, note);
    return entry;
  }

  private async failed(id: string): Promise<OutboxEntry> {
    const entry = await this.deps.store.outbox.get(id);
    if (!entry) throw new DajeongError('not_found', `Outbox entry ${id} not found.`);
    if (entry.status !== 'failed') throw this.notFailed(id, entry.status);
    return entry;
  }

  private notFailed(id: string, status?: string): DajeongError {
    return new DajeongError('conflict', `Outbox entry ${id} is ${status ?? 'no longer failed'}; only failed entries can be retried or discarded.`);
  }

  private async audit(action: string, actor: string, entry: OutboxEntry, note?: string): Promise<void> {
    await this.deps.store.audit.record({
      actor,
      action,
      subject: entry.id,
      details: {
        conversationId: entry.conversationId,
        channel: entry.channel,
        attempts: entry.attempts,
        ...(entry.lastError && { lastError: entry.lastError }),
        ...(note && { note }),
      },
    });
  }
}
