/**
 * The gateway: every channel hands inbound messages here and every outbound message (bot or
 * counselor) leaves through here. Inbound messages are stored (deduplicated) before the caller
 * acknowledges them; bot turns run afterwards, one at a time per conversation.
 */
import { capInboundText } from '../core/inbound-text';
import type { Conversation, Priority } from '../core/conversation';
import { priorityRank } from '../core/conversation';
import { DajeongError } from '../core/errors';
import type { Logger } from '../core/logger-port';
import type { InboundMessage, Message, OutboundDraft } from '../core/message';
import type { Store } from '../core/store-port';
import type { ChannelDirectory } from './channel-directory';
import type { MessageBus } from './message-bus';
import type { OutboxWorker } from './outbox-worker';
import { tr } from '../i18n/translate';
import type { TurnContext, TurnStep } from './turn-context';
import { composeSteps } from './turn-context';

export interface GatewayDeps {
  store: Store;
  bus: MessageBus;
  channels: ChannelDirectory;
  outbox: OutboxWorker;
  logger: Logger;
  steps: TurnStep[];
  /** A turn taking longer than this is abandoned with an apology. */
  turnTimeoutMs?: number;
}

interface TurnWaiter {
  inline: boolean;
  /** The caller stopped waiting (its answer went out without the replies). */
  abandoned?: boolean;
  resolve: (replies: Message[]) => void;
}

export class Gateway {
  private readonly runTurn: (ctx: TurnContext) => Promise<void>;
  /** Tail of each conversation's turn chain, so turns run in arrival order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters = new Map<string, TurnWaiter>();
  private accepting = true;

  constructor(private readonly deps: GatewayDeps) {
    this.runTurn = composeSteps(deps.steps);
  }

  /** Stores an inbound message and schedules the bot turn; resolves once it is durable. */
  async dispatch(inbound: InboundMessage): Promise<{ duplicate: boolean; messageId: string; conversationId: string }> {
    if (!this.accepting) throw new DajeongError('unavailable', 'shutting down', { retryable: true });
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
    this.deps.bus.emit('message', message);
    this.scheduleTurn(message);
    return { duplicate: false, messageId: message.id, conversationId: conversation.id };
  }

  /**
   * Like dispatch, then waits up to waitMs for the bot's replies so a synchronous channel can put
   * them in its HTTP answer. Replies not ready in time go out through the outbox instead.
   */
  async dispatchAndWait(inbound: InboundMessage, waitMs: number) {
    const result = await this.dispatch(inbound);
    if (result.duplicate) return { ...result, replies: [], complete: true };
    const replies = await new Promise<Message[] | undefined>((resolve) => {
      const waiter: TurnWaiter = { inline: true, resolve };
      this.waiters.set(result.messageId, waiter);
      setTimeout(() => {
        // The bound holds even when the turn is already storing its replies (a slow store):
        // handle() then hands them to the outbox instead, so they are not lost.
        waiter.abandoned = true;
        waiter.inline = false;
        this.waiters.delete(result.messageId);
        resolve(undefined);
      }, waitMs).unref();
    });
    return { ...result, replies: replies ?? [], complete: replies !== undefined };
  }

  /**
   * Stores outbound messages for a conversation and delivers them on its channel.
   * Used for bot replies and, later, counselor replies and notifications.
   */
  async send(
    conversation: Conversation,
    drafts: OutboundDraft[],
    options: { inline?: boolean; replyToId?: string } = {},
  ): Promise<Message[]> {
    const stored: Message[] = [];
    for (const draft of drafts) {
      const { message } = await this.deps.store.messages.append({
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
      });
      stored.push(message);
      this.deps.bus.emit('message', message);
      if (!options.inline && !draft.flags?.internal) await this.deliver(conversation, message);
    }
    if (stored.length) await this.deps.store.conversations.update(conversation.id, { lastOutboundAt: new Date() });
    return stored;
  }

  /** Moves a conversation to the human queue, keeping the more urgent priority. */
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
    this.deps.bus.emit('conversation', updated, { reason: 'escalated' });
    if (conversation.state === 'bot') this.track(this.tellChannelEscalated(updated));
    return updated;
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

  /**
   * Answer-only channels: outbound messages of a channel identity after each conversation's delivery
   * cursor, oldest first. Also looks at the identity's most recently closed conversation (closed
   * within 7 days), so a counselor's last reply before closing still reaches a resident who can
   * only be answered when writing again.
   */
  async undelivered(channel: string, externalUserId: string): Promise<Message[]> {
    const { store } = this.deps;
    const open = await store.conversations.findOpen(channel, externalUserId);
    const residentId = open?.residentId ?? (await store.residents.findOrCreateByIdentity({ channel, externalUserId })).id;
    const closed = (await store.conversations.list({ residentId, states: ['closed'] }))
      .filter((c) => c.channel === channel && c.externalUserId === externalUserId)
      .filter((c) => (c.closedAt?.getTime() ?? 0) > Date.now() - 7 * 24 * 3600_000)
      .pop();
    const out: Message[] = [];
    for (const c of [closed, open]) {
      if (!c) continue;
      const messages = await store.messages.listByConversation(c.id, { afterSeq: deliveredSeq(c), limit: 500 });
      out.push(...messages.filter((m) => m.direction === 'outbound' && !m.flags?.internal));
    }
    return out;
  }

  /** Answer-only channels: advances each conversation's delivery cursor past these messages. */
  async markDelivered(messages: Message[]): Promise<void> {
    const upTo = new Map<string, number>();
    for (const m of messages) upTo.set(m.conversationId, Math.max(upTo.get(m.conversationId) ?? 0, m.seq));
    for (const [conversationId, seq] of upTo) {
      const c = await this.deps.store.conversations.get(conversationId);
      if (!c || deliveredSeq(c) >= seq) continue;
      await this.deps.store.conversations.update(conversationId, { channelContext: { ...c.channelContext, deliveredSeq: seq } });
    }
  }

  /** Adds an internal note (author system, never delivered) that counselors see in the conversation. */
  async noteForStaff(conversationId: string, text: string): Promise<void> {
    const c = await this.deps.store.conversations.get(conversationId);
    if (!c) return;
    const { message } = await this.deps.store.messages.append({
      conversationId,
      residentId: c.residentId,
      channel: c.channel,
      direction: 'outbound',
      author: 'system',
      content: { text },
      flags: { internal: true },
      language: c.language,
    });
    this.deps.bus.emit('message', message);
  }

  /** Re-runs turns for inbound messages stored but never handled (e.g. after a crash). */
  async recoverUnhandled(since: Date): Promise<number> {
    const pending = await this.deps.store.messages.listUnhandledInbound(since, 1000);
    for (const message of pending) this.scheduleTurn(message, true);
    return pending.length;
  }

  /** Runs one unhandled message's turn again (recovery path: replies already stored are not repeated). */
  retryTurn(message: Message): void {
    if (this.accepting) this.scheduleTurn(message, true);
  }

  /** Stops taking new messages and waits for running turns, up to graceMs. */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, graceMs).unref())]);
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
    this.deps.outbox.kick();
  }

  private async openConversation(inbound: InboundMessage): Promise<Conversation> {
    const { store } = this.deps;
    const existing = await store.conversations.findOpen(inbound.channel, inbound.externalUserId);
    if (existing) return existing;
    const resident = await store.residents.findOrCreateByIdentity(
      { channel: inbound.channel, externalUserId: inbound.externalUserId },
      { locale: inbound.locale },
    );
    try {
      return await store.conversations.create({
        residentId: resident.id,
        channel: inbound.channel,
        externalUserId: inbound.externalUserId,
        language: inbound.locale?.slice(0, 2).toLowerCase() || 'ko',
        state: 'bot',
        priority: 'normal',
      });
    } catch (err) {
      // Another instance or request opened it first: use theirs.
      if (err instanceof DajeongError && err.code === 'conflict') {
        const winner = await store.conversations.findOpen(inbound.channel, inbound.externalUserId);
        if (winner) return winner;
      }
      throw err;
    }
  }

  private scheduleTurn(message: Message, recovered = false): void {
    const previous = this.chains.get(message.conversationId) ?? Promise.resolve();
    const turn = previous.then(() => this.handle(message, recovered));
    this.chains.set(message.conversationId, turn);
    this.inFlight.add(turn);
    void turn.finally(() => {
      this.inFlight.delete(turn);
      if (this.chains.get(message.conversationId) === turn) this.chains.delete(message.conversationId);
    });
  }

  /** Runs one bot turn; never throws (one top-level catch per turn). */
  private async handle(message: Message, recovered: boolean): Promise<void> {
    const { store, logger } = this.deps;
    const log = logger.child({ conversationId: message.conversationId, messageId: message.id });
    if (recovered && (await this.alreadyAnswered(message))) {
      // A crash came between storing the replies and marking the message handled.
      await store.messages.markHandled(message.id, new Date());
      return;
    }
    const conversation = await store.conversations.get(message.conversationId).catch(() => undefined);
    if (!conversation) {
      log.warn('conversation vanished before its turn');
      return;
    }
    const ctx = this.newContext(message, conversation, log);
    try {
      await withTimeout(this.runTurn(ctx), this.deps.turnTimeoutMs ?? 15_000);
    } catch (err) {
      log.error({ err }, 'turn failed; apologising to the resident');
      ctx.replies.length = 0;
      ctx.reply(tr('resident.turn.error', ctx.language));
    }
    try {
      const waiter = this.waiters.get(message.id);
      const inline = waiter?.inline ?? false;
      if (waiter) {
        waiter.inline = false;
        this.waiters.delete(message.id);
      }
      const sent = await this.send(ctx.conversation, ctx.replies, { inline, replyToId: message.id });
      await store.messages.markHandled(message.id, new Date());
      if (inline && waiter?.abandoned) {
        for (const m of sent) if (!m.flags?.internal) await this.deliver(ctx.conversation, m);
      }
      waiter?.resolve(sent);
    } catch (err) {
      // The inbound message stays unhandled, so recovery runs its turn again later.
      log.error({ err }, 'could not store the replies of a turn');
    }
  }

  private async alreadyAnswered(message: Message): Promise<boolean> {
    const later = await this.deps.store.messages.listByConversation(message.conversationId, { afterSeq: message.seq, limit: 200 });
    return later.some((m) => m.replyToId === message.id);
  }

  private newContext(message: Message, conversation: Conversation, logger: Logger): TurnContext {
    const store = this.deps.store;
    const escalate = (c: Conversation, priority: Priority, reason: string) => this.escalate(c, priority, reason);
    const ctx: TurnContext = {
      inbound: message,
      conversation,
      text: message.content.text ?? '',
      payload: message.content.payload,
      language: conversation.language,
      replies: [],
      logger,
      reply(content) {
        ctx.replies.push({ author: 'bot', content: typeof content === 'string' ? { text: content } : content });
      },
      async update(patch) {
        ctx.conversation = await store.conversations.update(ctx.conversation.id, patch);
      },
      async escalate(priority, reason) {
        ctx.conversation = await escalate(ctx.conversation, priority, reason);
      },
    };
    return ctx;
  }
}

/** Seq of the last message an answer-only channel has shown (0 = none). */
function deliveredSeq(conversation: Conversation): number {
  const seq = conversation.channelContext?.deliveredSeq;
  return typeof seq === 'number' ? seq : 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new DajeongError('internal', `turn timed out after ${ms} ms`)), ms);
    }),
  ]);
}
