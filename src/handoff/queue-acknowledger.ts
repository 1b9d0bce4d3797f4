/**
 * Answers what a queued resident writes while waiting: the message was received (a counselor will
 * read it), with the position and estimated wait. At most one acknowledgement per conversation in
 * any `intervalMs` (30 s), across instances: each acknowledgement is claimed by a unique insert
 * naming the one before it, so two instances that read the same last acknowledgement cannot both
 * send one. A message inside the interval gets nothing new; it is still stored and shown to the
 * counselor.
 */
import type { Conversation } from '../core/conversation';
import type { MessageContent } from '../core/message';
import type { Store } from '../core/store-port';
import type { HandoffService } from './handoff-service';
import type { QueueNotifier } from './queue-notifier';

/** Least time between two acknowledgements of one conversation's messages. */
export const QUEUE_ACK_INTERVAL_MS = 30_000;

export interface QueueAcknowledgerDeps {
  store: Pick<Store, 'episodes'>;
  handoff: Pick<HandoffService, 'queue'>;
  notifier: Pick<QueueNotifier, 'acknowledgement' | 'staffing'>;
  intervalMs?: number;
}

export class QueueAcknowledger {
  private readonly intervalMs: number;

  constructor(private readonly deps: QueueAcknowledgerDeps) {
    this.intervalMs = deps.intervalMs ?? QUEUE_ACK_INTERVAL_MS;
  }

  /**
   * The acknowledgement for a message of this queued conversation, or undefined when one went out
   * less than the interval ago (here or on another instance) or the chat left the queue.
   */
  async acknowledge(conversation: Conversation, now = new Date()): Promise<MessageContent | undefined> {
    const { episodes } = this.deps.store;
    const episodeId = `${conversation.id}:${conversation.handoffSeq}`;
    const last = await episodes.lastAck(episodeId);
    if (last && now.getTime() - last.getTime() < this.intervalMs) return undefined;
    // The cheap claim first: the queue read is only paid by the one instance that won.
    if (!(await episodes.claimAck({ episodeId, conversationId: conversation.id, ...(last && { after: last }), at: now }))) return undefined;
    const entry = (await this.deps.handoff.queue()).find((e) => e.conversation.id === conversation.id);
    // Taken by a counselor meanwhile: their "joined" message says more than a position.
    if (!entry) return undefined;
    return this.deps.notifier.acknowledgement(entry, await this.deps.notifier.staffing(now));
  }
}
