/**
 * The Escalation port's implementation: a bot turn hands its conversation to the human queue here.
 * Together with the handoff service this folder is the only writer of a conversation's state,
 * priority and handoffSeq. The channel is told about the handoff in the background (Bot Framework
 * passes it on to its own agent hub).
 */
import type { ChannelLookup } from '../core/channel-port';
import type { Conversation, Priority } from '../core/conversation';
import { priorityRank } from '../core/conversation';
import type { Escalation } from '../core/escalation-port';
import type { EventBus } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';

export interface EscalationDeps {
  store: Pick<Store, 'conversations' | 'messages' | 'audit'>;
  bus: EventBus;
  channels: ChannelLookup;
  logger: Logger;
}

export class EscalationService implements Escalation {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: EscalationDeps) {}

  async escalate(conversation: Conversation, priority: Priority, reason: string): Promise<Conversation> {
    const keep =
      conversation.state === 'queued' && priorityRank(conversation.priority) <= priorityRank(priority)
        ? conversation.priority
        : priority;
    const updated = await this.deps.store.conversations.update(conversation.id, {
      state: conversation.state === 'assigned' ? 'assigned' : 'queued',
      priority: keep,
      handoffSeq: conversation.state === 'queued' ? conversation.handoffSeq : conversation.handoffSeq + 1,
      queuedAt: conversation.state === 'queued' ? conversation.queuedAt : new Date(),
    });
    await this.deps.store.audit.record({
      actor: 'bot',
      action: 'conversation.escalate',
      subject: conversation.id,
      details: { priority: keep, reason, from: conversation.state },
    });
    this.deps.bus.publish('conversation', { conversation: updated, reason: 'escalated' });
    if (conversation.state === 'bot') this.track(this.tellChannelEscalated(updated));
    return updated;
  }

  async raisePriority(conversation: Conversation, priority: Priority): Promise<Conversation> {
    return this.deps.store.conversations.update(conversation.id, { priority });
  }

  /** Waits for channel notifications still running (shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Lets the conversation's adapter react to a handoff (e.g. Bot Framework's handoff.initiate); never throws. */
  private async tellChannelEscalated(conversation: Conversation): Promise<void> {
    const adapter = this.deps.channels.get(conversation.channel);
    if (!adapter?.onEscalated) return;
    try {
      const transcript = await this.deps.store.messages.listByConversation(conversation.id, { limit: 500 });
      await adapter.onEscalated(
        {
          channel: conversation.channel,
          externalUserId: conversation.externalUserId,
          conversationId: conversation.id,
          lastInboundAt: conversation.lastInboundAt,
          channelContext: conversation.channelContext,
        },
        transcript.filter((m) => !m.flags?.internal),
      );
    } catch (err) {
      this.deps.logger.warn({ err, conversationId: conversation.id }, 'channel could not be told about the escalation');
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
