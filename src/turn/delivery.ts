/**
 * The Outbound port's implementation: stores each outbound message, announces it on the event bus,
 * and hands it to the outbox (push channels) or leaves it in the store for the channel to read
 * (pull channels). Bot replies, counselor replies, notices and surveys all leave through here.
 */
import type { ChannelLookup } from '../core/channel-port';
import type { Conversation } from '../core/conversation';
import type { EventBus } from '../core/event-port';
import { textContent, type Message, type OutboundDraft } from '../core/message';
import type { Outbound, SendOptions } from '../core/outbound-port';
import type { Store } from '../core/store-port';

export interface DeliveryDeps {
  store: Pick<Store, 'messages' | 'conversations' | 'outbox'>;
  bus: EventBus;
  channels: ChannelLookup;
  /** The outbox worker: asked for a pass right after an enqueue. */
  worker: { kick(): void };
}

/** The dedupe id of a once-only outbound message; no platform's inbound ids look like it. */
function onceId(conversationId: string, key: string): string {
  return `once:${conversationId}:${key}`;
}

export class Delivery implements Outbound {
  constructor(private readonly deps: DeliveryDeps) {}

  async send(conversation: Conversation, drafts: OutboundDraft[], options: SendOptions = {}): Promise<Message[]> {
    const stored: Message[] = [];
    for (const draft of drafts) {
      const { message, inserted } = await this.deps.store.messages.append({
        conversationId: conversation.id,
        residentId: conversation.residentId,
        channel: conversation.channel,
        direction: 'outbound',
        author: draft.author,
        authorId: draft.authorId,
        content: draft.content,
        flags: draft.flags,
        language: conversation.language,
        ...(options.replyToId && { replyToId: options.replyToId }),
        // The store's unique (channel, channelMessageId) key arbitrates once-only messages.
        ...(draft.onceKey && { channelMessageId: onceId(conversation.id, draft.onceKey) }),
      });
      // Already sent under its once-key (another instance, a repeated turn): nothing more to do.
      if (!inserted) continue;
      stored.push(message);
      this.deps.bus.publish('message', message);
      if (!options.inline && !draft.flags?.internal) await this.deliver(conversation, message);
    }
    if (stored.length) await this.deps.store.conversations.update(conversation.id, { lastOutboundAt: new Date() });
    return stored;
  }

  async deliverStored(conversation: Conversation, messages: Message[]): Promise<void> {
    for (const m of messages) if (!m.flags?.internal) await this.deliver(conversation, m);
  }

  async noteForStaff(conversationId: string, text: string): Promise<void> {
    const c = await this.deps.store.conversations.get(conversationId);
    if (!c) return;
    const { message } = await this.deps.store.messages.append({
      conversationId,
      residentId: c.residentId,
      channel: c.channel,
      direction: 'outbound',
      author: 'system',
      content: textContent(text),
      flags: { internal: true },
      language: c.language,
    });
    this.deps.bus.publish('message', message);
  }

  private async deliver(conversation: Conversation, message: Message): Promise<void> {
    const adapter = this.deps.channels.get(conversation.channel);
    // Pull channels (the app API) read straight from the store; push channels go through the outbox.
    if (adapter?.capabilities.delivery === 'pull') return;
    await this.deps.store.outbox.enqueue({
      messageId: message.id,
      conversationId: conversation.id,
      channel: conversation.channel,
      externalUserId: conversation.externalUserId,
    });
    this.deps.worker.kick();
  }
}
