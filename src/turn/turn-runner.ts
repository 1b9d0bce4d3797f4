/**
 * Runs bot turns: one at a time per conversation, in arrival order; lets a synchronous channel wait
 * for a turn's replies; re-runs turns of messages stored but never handled (after a crash); and
 * drains running turns on shutdown. Each turn has one top-level catch that apologises.
 */
import type { Conversation } from '../core/conversation';
import { DajeongError } from '../core/errors';
import type { Escalation } from '../core/escalation-port';
import type { Logger } from '../core/logger-port';
import type { Telemetry, TurnReport } from '../core/telemetry-port';
import { decodeButton } from '../core/button-payload';
import { asOfferedPress } from './offered-press';
import { textContent, textOf, type Message } from '../core/message';
import type { Outbound } from '../core/outbound-port';
import type { Store } from '../core/store-port';
import type { Translate } from '../core/text-port';
import type { TurnContext } from '../core/turn-context';
import { withTimeout } from '../core/with-timeout';

export interface TurnRunnerDeps {
  store: Pick<Store, 'messages' | 'conversations'>;
  outbound: Outbound;
  escalation: Escalation;
  logger: Logger;
  /** The message catalogue's lookup (the apology when a turn fails). */
  translate: Translate;
  /** The composed pipeline (turn/pipeline.ts). */
  pipeline: (ctx: TurnContext) => Promise<void>;
  /** A turn taking longer than this is abandoned with an apology. */
  turnTimeoutMs?: number;
  /** Where each turn is reported for metrics. */
  telemetry?: Telemetry;
}

interface TurnWaiter {
  inline: boolean;
  /** The caller stopped waiting (its answer went out without the replies). */
  abandoned?: boolean;
  resolve: (replies: Message[]) => void;
}

export class TurnRunner {
  /** Tail of each conversation's turn chain, so turns run in arrival order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters = new Map<string, TurnWaiter>();
  private open = true;

  constructor(private readonly deps: TurnRunnerDeps) {}

  /** False once draining started: new messages are refused (the platform retries elsewhere). */
  get accepting(): boolean {
    return this.open;
  }

  /** Runs one unhandled message's turn again (recovery path: replies already stored are not repeated). */
  retryTurn(message: Message): void {
    if (this.open) this.schedule(message, true);
  }

  /** Queues the turn of a stored inbound message behind the conversation's earlier turns. */
  schedule(message: Message, recovered = false): void {
    const previous = this.chains.get(message.conversationId) ?? Promise.resolve();
    const turn = previous.then(() => this.handle(message, recovered));
    this.chains.set(message.conversationId, turn);
    this.inFlight.add(turn);
    void turn.finally(() => {
      this.inFlight.delete(turn);
      if (this.chains.get(message.conversationId) === turn) this.chains.delete(message.conversationId);
    });
  }

  /**
   * Waits up to waitMs for the replies of a scheduled turn, so a synchronous channel can put them in
   * its answer; undefined when they were not ready in time (they then go out through the outbox).
   */
  waitForReplies(messageId: string, waitMs: number): Promise<Message[] | undefined> {
    return new Promise<Message[] | undefined>((resolve) => {
      const waiter: TurnWaiter = { inline: true, resolve };
      this.waiters.set(messageId, waiter);
      setTimeout(() => {
        // The bound holds even when the turn is already storing its replies (a slow store):
        // handle() then hands them to the outbox instead, so they are not lost.
        waiter.abandoned = true;
        waiter.inline = false;
        this.waiters.delete(messageId);
        resolve(undefined);
      }, waitMs).unref();
    });
  }

  /** Re-runs turns for inbound messages stored but never handled (e.g. after a crash). */
  async recoverUnhandled(since: Date): Promise<number> {
    const pending = await this.deps.store.messages.listUnhandledInbound(since, 1000);
    for (const message of pending) this.schedule(message, true);
    return pending.length;
  }

  /** Stops taking new messages and waits for running turns, up to graceMs. */
  async drain(graceMs: number): Promise<void> {
    this.open = false;
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  /** Runs one bot turn; never throws (one top-level catch per turn). */
  private async handle(message: Message, recovered: boolean): Promise<void> {
    const { store, logger, outbound } = this.deps;
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
    // Typed text repeating an offered button is that button's press (the stored message stays as typed).
    const seen = await asOfferedPress(store.messages, message).catch(() => message);
    const ctx = this.newContext(seen, conversation, log);
    const started = performance.now();
    let failed = false;
    try {
      const turnTimeoutMs = this.deps.turnTimeoutMs ?? 15_000;
      await withTimeout(this.deps.pipeline(ctx), turnTimeoutMs, () => new DajeongError('internal', `turn timed out after ${turnTimeoutMs} ms`));
    } catch (err) {
      failed = true;
      log.error({ err }, 'turn failed; apologising to the resident');
      ctx.replies.length = 0;
      ctx.reply(this.deps.translate('resident.turn.error', ctx.language));
    }
    this.report(ctx, performance.now() - started, failed);
    try {
      const waiter = this.waiters.get(message.id);
      const inline = waiter?.inline ?? false;
      if (waiter) {
        waiter.inline = false;
        this.waiters.delete(message.id);
      }
      const sent = await outbound.send(ctx.conversation, ctx.replies, { inline, replyToId: message.id });
      await store.messages.markHandled(message.id, new Date());
      if (inline && waiter?.abandoned) await outbound.deliverStored(ctx.conversation, sent);
      waiter?.resolve(sent);
    } catch (err) {
      // The inbound message stays unhandled, so recovery runs its turn again later.
      log.error({ err }, 'could not store the replies of a turn');
    }
  }

  /** One log line per turn (what answered it and how fast; never the resident's words) and its metrics. */
  private report(ctx: TurnContext, ms: number, failed: boolean): void {
    const report: TurnReport = {
      channel: ctx.conversation.channel,
      language: ctx.language,
      intent: ctx.nlu?.intent ?? 'none',
      confidence: ctx.nlu?.confidence ?? 0,
      model: ctx.nlu?.model ?? 'none',
      crisis: ctx.nlu?.crisis ?? false,
      abusive: ctx.nlu?.abusive ?? false,
      endedBy: ctx.endedBy,
      ms: Math.round(ms),
      nluMs: ctx.nlu?.latencyMs === undefined ? undefined : Math.round(ctx.nlu.latencyMs),
      replies: ctx.replies.length,
      failed,
    };
    ctx.logger.info({ turn: report }, 'turn');
    this.deps.telemetry?.turn(report);
  }

  private async alreadyAnswered(message: Message): Promise<boolean> {
    const later = await this.deps.store.messages.listByConversation(message.conversationId, { afterSeq: message.seq, limit: 200 });
    return later.some((m) => m.replyToId === message.id);
  }

  private newContext(message: Message, conversation: Conversation, logger: Logger): TurnContext {
    const { store, escalation } = this.deps;
    const ctx: TurnContext = {
      inbound: message,
      conversation,
      text: textOf(message.content),
      button: message.content.kind === 'button' ? decodeButton(message.content.payload) : undefined,
      language: conversation.language,
      replies: [],
      logger,
      reply(content) {
        ctx.replies.push({ author: 'bot', content: typeof content === 'string' ? textContent(content) : content });
      },
      async update(patch) {
        ctx.conversation = await store.conversations.update(ctx.conversation.id, patch);
      },
      async escalate(priority, reason) {
        ctx.conversation = await escalation.escalate(ctx.conversation, priority, reason);
      },
      async raisePriority(priority) {
        ctx.conversation = await escalation.raisePriority(ctx.conversation, priority);
      },
    };
    return ctx;
  }
}

