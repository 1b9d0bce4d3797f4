/**
 * Who owns a conversation, and every change of owner: the queue (episodes in serving order),
 * accept (decided by a unique claim per episode, so exactly one counselor wins across instances
 * and stores), replies and notes, transfer, close, hand-back and requeue. Each transition is
 * audited with who and when and announced on the bus; resident-facing notices go out through the
 * gateway like every other message.
 */
import type { Conversation } from '../core/conversation';
import type { HandoffEpisode } from '../core/handoff-port';
import type { Logger } from '../core/logger-port';
import type { Message, MessageContent } from '../core/message';
import type { Store } from '../core/store-port';
import { CHAT_ROLES, type ConsoleUser } from '../core/user-port';
import type { Gateway } from '../turn/gateway';
import type { MessageBus } from '../turn/message-bus';
import type { FigureRecorder } from './figure-recorder';
import { HandoffError } from './handoff-errors';
import type { HandoffEvents } from './handoff-events';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import { isAvailable } from './presence';
import { inServingOrder, type QueueEntry } from './queue-order';
import type { SurveyService } from './survey-service';

export interface HandoffSettings {
  /** Default per-counselor concurrency cap. */
  maxChats: number;
  /** A counselor not heard from for this long counts as offline. */
  presenceTtlMs: number;
}

export interface HandoffServiceDeps {
  store: Store;
  bus: MessageBus;
  events: HandoffEvents;
  /** Resolved lazily: the gateway is built after the turn steps that need this service. */
  gateway: () => Gateway;
  surveys: SurveyService;
  figures: FigureRecorder;
  settings: HandoffSettings;
  logger: Logger;
}

export interface PositionedEntry extends QueueEntry {
  /** 1-based place in serving order. */
  position: number;
}

/** Who is acting: a console user, or the auto-router. */
export type Actor = ConsoleUser | 'router';

const episodeId = (conversationId: string, handoffSeq: number) => `${conversationId}:${handoffSeq}`;
const isSupervisor = (user: ConsoleUser) => user.role === 'supervisor';

export class HandoffService {
  constructor(private readonly deps: HandoffServiceDeps) {}

  /** Every queued conversation with its episode and position, in serving order. */
  async queue(): Promise<PositionedEntry[]> {
    const queued = await this.deps.store.conversations.list({ states: ['queued'], limit: 10_000 });
    const entries = await Promise.all(queued.map(async (conversation) => ({ conversation, episode: await this.episodeFor(conversation) })));
    return inServingOrder(entries).map((entry, i) => ({ ...entry, position: i + 1 }));
  }

  /**
   * The episode of the conversation's current queue entry, created from the conversation when
   * missing (the escalating instance may have crashed before writing it).
   */
  async episodeFor(conversation: Conversation, extra: Partial<HandoffEpisode> = {}): Promise<HandoffEpisode> {
    const id = episodeId(conversation.id, conversation.handoffSeq);
    const existing = await this.deps.store.episodes.get(id);
    if (existing) return existing;
    return this.deps.store.episodes.open({
      id,
      conversationId: conversation.id,
      handoffSeq: conversation.handoffSeq,
      residentId: conversation.residentId,
      channel: conversation.channel,
      language: conversation.language,
      priority: conversation.priority,
      reason: conversation.priority,
      queuedAt: conversation.queuedAt ?? new Date(),
      ...extra,
    });
  }

  /** Chats each counselor owns right now, by counselor id. */
  async loads(): Promise<Map<string, number>> {
    const assigned = await this.deps.store.conversations.list({ states: ['assigned'], limit: 10_000 });
    const loads = new Map<string, number>();
    for (const c of assigned) if (c.assigneeId) loads.set(c.assigneeId, (loads.get(c.assigneeId) ?? 0) + 1);
    return loads;
  }

  /** The most chats this counselor may hold at once. */
  capOf(user: ConsoleUser): number {
    return user.maxConcurrent ?? this.deps.settings.maxChats;
  }

  /** A counselor picks a queued chat. Idempotent for the owner; 409 when someone else won. */
  async accept(user: ConsoleUser, conversationId: string): Promise<Conversation> {
    const conversation = await this.get(conversationId);
    if (conversation.state === 'assigned' && conversation.assigneeId === user.id) return conversation;
    if (conversation.state !== 'queued') throw await this.notQueued(conversation);
    const load = (await this.loads()).get(user.id) ?? 0;
    if (load >= this.capOf(user)) {
      throw new HandoffError(409, 'at_capacity', { key: 'staff.error.atCapacity', values: { load, cap: this.capOf(user) } });
    }
    return this.assign(conversation, user, user);
  }

  /**
   * Gives a queued conversation to `counselor` if this caller wins the episode's claim, and tells
   * the resident who joined (unless `notify` is false).
   * @throws HandoffError 409 'already_assigned' when another counselor or instance won.
   */
  async assign(
    conversation: Conversation,
    counselor: ConsoleUser,
    actor: Actor,
    options: { notify?: boolean } = {},
  ): Promise<Conversation> {
    const { store, bus, events } = this.deps;
    const won = await store.conversations.claim(conversation.id, conversation.handoffSeq, counselor.id);
    if (!won) throw await this.notQueued((await store.conversations.get(conversation.id)) ?? conversation, true);
    const now = new Date();
    const episode = await this.episodeFor(conversation);
    await store.episodes.update(episode.id, { counselorId: counselor.id, assignedAt: now });
    const updated = await store.conversations.update(conversation.id, { state: 'assigned', assigneeId: counselor.id });
    await store.users.update(counselor.id, { lastAssignedAt: now });
    await store.audit.record({
      actor: actorId(actor),
      action: 'handoff.assign',
      subject: conversation.id,
      at: now,
      details: {
        from: 'queued',
        to: 'assigned',
        counselorId: counselor.id,
        handoffSeq: conversation.handoffSeq,
        waitMs: now.getTime() - episode.queuedAt.getTime(),
        by: actor === 'router' ? 'auto-router' : 'accept',
      },
    });
    bus.emit('conversation', updated, { reason: 'assigned' });
    events.emit('queue');
    // Inside a bot turn the caller adds the notice to the turn's replies, so it follows them.
    if (options.notify !== false) await this.notify(updated, tr('resident.handoff.counselorJoined', updated.language, { name: counselor.displayName }));
    return updated;
  }

  /** Sends a counselor reply through the gateway, so every channel's adapter delivers it. */
  async reply(user: ConsoleUser, conversationId: string, content: MessageContent): Promise<Message[]> {
    const conversation = this.requireOwner(user, await this.get(conversationId));
    const sent = await this.deps.gateway().send(conversation, [{ author: 'counselor', authorId: user.id, content }]);
    await this.deps.store.audit.record({
      actor: user.id,
      action: 'conversation.reply',
      subject: conversationId,
      details: { messageIds: sent.map((m) => m.id) },
    });
    return sent;
  }

  /** Adds an internal note, never shown to the resident (owner or a supervisor). */
  async note(user: ConsoleUser, conversationId: string, text: string): Promise<Message> {
    const conversation = await this.get(conversationId);
    if (!isSupervisor(user)) this.requireOwner(user, conversation);
    const [note] = await this.deps
      .gateway()
      .send(conversation, [{ author: 'counselor', authorId: user.id, content: { text }, flags: { internal: true } }]);
    await this.deps.store.audit.record({ actor: user.id, action: 'conversation.note', subject: conversationId, details: { messageId: note!.id } });
    return note!;
  }

  /**
   * Passes the chat to a counselor or a team: a new queue episode (offered to the counselor
   * first, or only to the team), with the note kept as an internal message. A target counselor
   * who is free gets it at once.
   */
  async transfer(
    user: ConsoleUser,
    conversationId: string,
    input: { toCounselorId?: string; team?: string; note?: string },
  ): Promise<Conversation> {
    const { store, bus, events } = this.deps;
    const conversation = await this.get(conversationId);
    if (!isSupervisor(user)) this.requireOwner(user, conversation);
    else if (conversation.state !== 'assigned' && conversation.state !== 'queued') {
      throw new HandoffError(409, 'not_active', { key: 'staff.error.transferNotActive' });
    }
    if (!input.toCounselorId && !input.team) throw new HandoffError(400, 'validation', { key: 'staff.error.transferTargetMissing' });
    const target = input.toCounselorId ? await store.users.get(input.toCounselorId) : undefined;
    if (input.toCounselorId && (!target || target.disabled || !CHAT_ROLES.includes(target.role))) {
      throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchCounselor' });
    }
    if (target && target.id === conversation.assigneeId) throw new HandoffError(400, 'validation', { key: 'staff.error.alreadyWithCounselor' });
    const now = new Date();
    const previous = await this.episodeFor(conversation);
    await store.episodes.update(previous.id, { endedAt: now, outcome: 'transferred' });
    const updated = await store.conversations.update(conversation.id, {
      state: 'queued',
      handoffSeq: conversation.handoffSeq + 1,
      queuedAt: now,
      assigneeId: undefined,
    });
    await this.episodeFor(updated, {
      reason: 'transfer',
      queuedAt: now,
      ...(input.team && { team: input.team }),
      ...(input.toCounselorId && { preferredCounselorId: input.toCounselorId }),
    });
    if (input.note) {
      const to = target?.displayName ?? input.team;
      await this.deps.gateway().send(updated, [
        { author: 'counselor', authorId: user.id, content: { text: tr('staff.note.transfer', STAFF_LANGUAGE, { to: to ?? '', note: input.note }) }, flags: { internal: true } },
      ]);
    }
    await store.audit.record({
      actor: user.id,
      action: 'handoff.transfer',
      subject: conversation.id,
      at: now,
      details: { from: conversation.state, to: 'queued', fromCounselorId: conversation.assigneeId, toCounselorId: input.toCounselorId, team: input.team, handoffSeq: updated.handoffSeq },
    });
    bus.emit('conversation', updated, { reason: 'transferred' });
    events.emit('queue');
    await this.notify(updated, tr('resident.handoff.transferred', updated.language));
    if (target && isAvailable(target, now, this.deps.settings.presenceTtlMs)) {
      const load = (await this.loads()).get(target.id) ?? 0;
      if (load < this.capOf(target)) {
        try {
          return await this.assign(updated, target, user);
        } catch (err) {
          // The router of some instance gave it to the target (or another counselor) first: fine.
          if (!(err instanceof HandoffError)) throw err;
        }
      }
    }
    return (await store.conversations.get(conversation.id)) ?? updated;
  }

  /**
   * Closes the chat with a resolution code and sends the satisfaction survey. "We never hang up
   * first": with the resident's last message unanswered it needs `confirm`.
   */
  async close(user: ConsoleUser, conversationId: string, input: { resolution: string; confirm?: boolean }): Promise<Conversation> {
    const { store, bus, events } = this.deps;
    const conversation = await this.get(conversationId);
    if (!isSupervisor(user) || conversation.state !== 'assigned') this.requireOwner(user, conversation);
    const waiting = await this.residentWaiting(conversation);
    if (waiting && !input.confirm) {
      throw new HandoffError(
        409,
        'resident_waiting',
        { key: 'staff.error.residentWaiting' },
        { lastResidentMessageId: waiting.id },
      );
    }
    const now = new Date();
    const episode = await this.episodeFor(conversation);
    await store.episodes.update(episode.id, { endedAt: now, outcome: 'closed', resolution: input.resolution });
    const updated = await store.conversations.update(conversation.id, { state: 'closed', closedAt: now, assigneeId: undefined });
    await store.audit.record({
      actor: user.id,
      action: 'handoff.close',
      subject: conversation.id,
      at: now,
      details: { from: 'assigned', to: 'closed', resolution: input.resolution, closedWithUnanswered: Boolean(waiting), handoffSeq: conversation.handoffSeq },
    });
    await this.deps.figures.record(now, ['closed:counselor', `resolution:${input.resolution}`]);
    bus.emit('conversation', updated, { reason: 'closed' });
    events.emit('queue');
    await this.notify(updated, tr('resident.handoff.closed', updated.language));
    await this.deps.surveys.sendCsat(updated, conversation.assigneeId ?? user.id);
    return updated;
  }

  /** Gives the chat back to the bot. */
  async handback(user: ConsoleUser, conversationId: string): Promise<Conversation> {
    const { store, bus, events } = this.deps;
    const conversation = await this.get(conversationId);
    if (!isSupervisor(user) || conversation.state !== 'assigned') this.requireOwner(user, conversation);
    const now = new Date();
    const episode = await this.episodeFor(conversation);
    await store.episodes.update(episode.id, { endedAt: now, outcome: 'handback' });
    const updated = await store.conversations.update(conversation.id, { state: 'bot', assigneeId: undefined, misses: 0 });
    await store.audit.record({ actor: user.id, action: 'handoff.handback', subject: conversation.id, at: now, details: { from: 'assigned', to: 'bot' } });
    bus.emit('conversation', updated, { reason: 'handback' });
    events.emit('queue');
    await this.notify(updated, tr('resident.handoff.backToBot', updated.language));
    return updated;
  }

  /**
   * Supervisor: puts a chat back at the queue under a new episode (a counselor went missing, or an
   * accept crashed half-way), so nothing stays stuck.
   */
  async requeue(user: ConsoleUser, conversationId: string): Promise<Conversation> {
    const { store, bus, events } = this.deps;
    const conversation = await this.get(conversationId);
    if (conversation.state !== 'assigned' && conversation.state !== 'queued') {
      throw new HandoffError(409, 'not_active', { key: 'staff.error.requeueNotActive' });
    }
    const now = new Date();
    const previous = await this.episodeFor(conversation);
    await store.episodes.update(previous.id, { endedAt: now, outcome: 'requeued' });
    const updated = await store.conversations.update(conversation.id, {
      state: 'queued',
      handoffSeq: conversation.handoffSeq + 1,
      queuedAt: previous.queuedAt,
      assigneeId: undefined,
    });
    // Keeps the original wait: a requeued resident has waited already.
    await this.episodeFor(updated, { reason: 'requeue', queuedAt: previous.queuedAt });
    await store.audit.record({
      actor: user.id,
      action: 'handoff.requeue',
      subject: conversation.id,
      at: now,
      details: { from: conversation.state, to: 'queued', fromCounselorId: conversation.assigneeId, handoffSeq: updated.handoffSeq },
    });
    bus.emit('conversation', updated, { reason: 'requeued' });
    events.emit('queue');
    return updated;
  }

  /** Display name of the counselor who owns the conversation now, if any. */
  async assigneeName(conversationId: string): Promise<string | undefined> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    const owner = conversation?.assigneeId ? await this.deps.store.users.get(conversation.assigneeId) : undefined;
    return owner?.displayName;
  }

  /** The resident's message still waiting for a human answer, if any. */
  async residentWaiting(conversation: Conversation): Promise<Message | undefined> {
    let lastResident: Message | undefined;
    let lastAnswerSeq = 0;
    let after = 0;
    for (;;) {
      const page = await this.deps.store.messages.listByConversation(conversation.id, { afterSeq: after, limit: 500 });
      for (const m of page) {
        if (m.author === 'resident') lastResident = m;
        else if ((m.author === 'counselor' || m.author === 'bot') && !m.flags?.internal) lastAnswerSeq = m.seq;
      }
      if (page.length < 500) break;
      after = page.at(-1)!.seq;
    }
    return lastResident && lastResident.seq > lastAnswerSeq ? lastResident : undefined;
  }

  /** Sends a system notice to the resident. */
  async notify(conversation: Conversation, content: string | MessageContent): Promise<void> {
    try {
      await this.deps.gateway().send(conversation, [{ author: 'system', content: typeof content === 'string' ? { text: content } : content }]);
    } catch (err) {
      // The transition itself already happened; a lost notice must not undo it.
      this.deps.logger.error({ err, conversationId: conversation.id }, 'could not send a handoff notice');
    }
  }

  private async get(conversationId: string): Promise<Conversation> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    if (!conversation) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: conversationId } });
    return conversation;
  }

  private requireOwner(user: ConsoleUser, conversation: Conversation): Conversation {
    if (conversation.state === 'assigned' && conversation.assigneeId === user.id) return conversation;
    if (conversation.state === 'assigned') {
      throw new HandoffError(403, 'not_owner', { key: 'staff.error.notOwner' });
    }
    throw new HandoffError(409, 'not_assigned', { key: 'staff.error.notAssigned', values: { state: conversation.state } });
  }

  private async notQueued(conversation: Conversation, lostClaim = false): Promise<HandoffError> {
    if (conversation.state === 'assigned' || lostClaim) {
      const owner = conversation.assigneeId ? await this.deps.store.users.get(conversation.assigneeId) : undefined;
      return new HandoffError(
        409,
        'already_assigned',
        owner ? { key: 'staff.error.alreadyAssignedTo', values: { name: owner.displayName } } : { key: 'staff.error.alreadyAssigned' },
        owner ? { assigneeId: owner.id } : undefined,
      );
    }
    return new HandoffError(409, 'not_queued', { key: 'staff.error.notQueued', values: { state: conversation.state } });
  }
}

function actorId(actor: Actor): string {
  return actor === 'router' ? 'router' : actor.id;
}
