/**
 * Where every channel hands in resident messages: the message is stored once (deduplicated on the
 * platform's message id) in the conversation of its channel identity, opened here when needed,
 * before the caller acknowledges it; the bot turn then runs in the background.
 */
import { capInboundText } from '../core/inbound-text';
import type { DispatchResult, IdentityOpening } from '../core/channel-port';
import type { Conversation } from '../core/conversation';
import { DajeongError, isConflict } from '../core/errors';
import type { EventBus } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import type { InboundMessage, Message } from '../core/message';
import type { Store } from '../core/store-port';
import type { TurnRunner } from './turn-runner';

export interface InboundDeps {
  store: Pick<Store, 'messages' | 'conversations' | 'residents'>;
  bus: EventBus;
  runner: TurnRunner;
  logger: Logger;
  /** Sends the welcome to a conversation opened with `greet` (an app or web chat session). */
  greet?: (conversation: Conversation) => Promise<void>;
}

export class Inbound {
  constructor(private readonly deps: InboundDeps) {}

  /** Stores an inbound message and schedules the bot turn; resolves once it is durable. */
  async dispatch(inbound: InboundMessage): Promise<DispatchResult> {
    if (!this.deps.runner.accepting) throw new DajeongError('unavailable', 'shutting down', { retryable: true });
    // A platform replaying a delivery whose message retention already deleted: not stored again.
    if (inbound.channelMessageId && (await this.deps.store.messages.deliveryState(inbound.channel, inbound.channelMessageId)) === 'deleted') {
      this.deps.logger.info({ channel: inbound.channel }, 'ignored a replayed delivery of a deleted message');
      return { duplicate: true, messageId: '', conversationId: '' };
    }
    const conversation = await this.openConversation(inbound);
    const { message, inserted } = await this.deps.store.messages.append({
      conversationId: conversation.id,
      residentId: conversation.residentId,
      channel: inbound.channel,
      channelMessageId: inbound.channelMessageId,
      direction: 'inbound',
      author: 'resident',
      content: capInboundText(inbound.content),
      createdAt: new Date(),
    });
    if (!inserted) return { duplicate: true, messageId: message.id, conversationId: message.conversationId };
    const patch: Partial<Conversation> = { lastInboundAt: message.createdAt };
    if (inbound.channelContext) patch.channelContext = { ...conversation.channelContext, ...inbound.channelContext };
    await this.deps.store.conversations.update(conversation.id, patch);
    this.deps.bus.publish('message', message);
    this.deps.runner.schedule(message);
    return { duplicate: false, messageId: message.id, conversationId: conversation.id };
  }

  /**
   * Like dispatch, then waits up to waitMs for the bot's replies so a synchronous channel can put
   * them in its HTTP answer. Replies not ready in time go out through the outbox instead.
   */
  async dispatchAndWait(inbound: InboundMessage, waitMs: number): Promise<DispatchResult & { replies: Message[]; complete: boolean }> {
    const result = await this.dispatch(inbound);
    if (result.duplicate) return { ...result, replies: [], complete: true };
    const replies = await this.deps.runner.waitForReplies(result.messageId, waitMs);
    return { ...result, replies: replies ?? [], complete: replies !== undefined };
  }

  /**
   * The open conversation of a channel identity, or a new one with the bot. Its language is the
   * one the resident used last on this identity (a survey answer or a new question after a close
   * goes on in it), else the locale hint, else Korean. Two instances opening at once agree on the
   * first one stored. A new conversation opened with `greet` gets the welcome before this resolves.
   */
  async openConversation(opening: IdentityOpening): Promise<Conversation> {
    const { store } = this.deps;
    const existing = await store.conversations.findOpen(opening.channel, opening.externalUserId);
    if (existing) return existing;
    const previous = await store.conversations.findLatest(opening.channel, opening.externalUserId);
    const resident = await store.residents.findOrCreateByIdentity(
      { channel: opening.channel, externalUserId: opening.externalUserId },
      { locale: opening.locale },
    );
    let created: Conversation;
    try {
      created = await store.conversations.create({
        residentId: resident.id,
        channel: opening.channel,
        externalUserId: opening.externalUserId,
        language: previous?.language || opening.locale?.slice(0, 2).toLowerCase() || 'ko',
        state: 'bot',
        priority: 'normal',
      });
    } catch (err) {
      // Another instance or request opened it first: use theirs.
      if (isConflict(err)) {
        const winner = await store.conversations.findOpen(opening.channel, opening.externalUserId);
        if (winner) return winner;
      }
      throw err;
    }
    if (opening.greet && this.deps.greet) {
      // A failed welcome does not fail the opening: with nothing sent yet, the first turn sends it.
      await this.deps.greet(created).catch((err: unknown) => this.deps.logger.warn({ err, conversationId: created.id }, 'could not send the welcome'));
    }
    return created;
  }
}
