/**
 * Embedded in-memory store: the default for a quick start and for tests. Not durable.
 * Behaviour matches the MongoDB store (see test/store/store-contract.ts).
 */
import { deliveryKeyHash } from '../core/delivery-key';
import type { ChannelIdentity, Conversation, Resident } from '../core/conversation';
import { DajeongError } from '../core/errors';
import { newId } from '../core/ids';
import type { Message } from '../core/message';
import type {
  AppendResult,
  AppSession,
  AppSessionStore,
  AuditEvent,
  AuditStore,
  ConversationPatch,
  ConversationQuery,
  ConversationStore,
  MessageStore,
  NewConversation,
  NewMessage,
  ResidentStore,
  Store,
} from '../core/store-port';
import { MemoryAlerts, MemoryEpisodes, MemoryFigures, MemoryMessageFlags, MemorySurveys } from './memory/memory-handoff';
import { MemoryConsoleSessions, MemoryUsers } from './memory/memory-users';
import { MemoryKnowledge } from './memory/memory-knowledge';
import { MemoryLoginAttempts } from './memory/memory-login-attempts';
import { MemoryNotices } from './memory/memory-notices';
import { MemoryOutbox } from './memory/memory-outbox';
import { MemoryTickets } from './memory/memory-tickets';
import { MemoryUnanswered } from './memory/memory-unanswered';
import { clone } from './memory/clone';
import { MemoryCannedAnswers } from './memory/memory-canned';
import { MemoryMedia } from './memory/memory-media';
import { MemoryMessageSearch } from './memory/memory-search';
import { MemoryQa } from './memory/memory-qa';

const identityKey = (i: ChannelIdentity) => `${i.channel}\u0000${i.externalUserId}`;

class MemoryResidents implements ResidentStore {
  private readonly byId = new Map<string, Resident>();
  private readonly byIdentity = new Map<string, string>();

  async findOrCreateByIdentity(identity: ChannelIdentity, init?: { locale?: string }): Promise<Resident> {
    const existing = this.byIdentity.get(identityKey(identity));
    if (existing) return clone(this.byId.get(existing)!);
    const resident: Resident = { id: newId(), identities: [{ ...identity }], locale: init?.locale, createdAt: new Date() };
    this.byId.set(resident.id, resident);
    this.byIdentity.set(identityKey(identity), resident.id);
    return clone(resident);
  }

  async get(id: string) {
    const r = this.byId.get(id);
    return r ? clone(r) : undefined;
  }

  async linkIdentity(residentId: string, identity: ChannelIdentity): Promise<Resident> {
    const resident = this.byId.get(residentId);
    if (!resident) throw new DajeongError('not_found', `resident ${residentId} not found`);
    const owner = this.byIdentity.get(identityKey(identity));
    if (owner && owner !== residentId) throw new DajeongError('conflict', 'identity belongs to another resident');
    if (!owner) {
      resident.identities.push({ ...identity });
      this.byIdentity.set(identityKey(identity), residentId);
    }
    return clone(resident);
  }

  async delete(id: string) {
    const r = this.byId.get(id);
    if (!r) return;
    for (const i of r.identities) this.byIdentity.delete(identityKey(i));
    this.byId.delete(id);
  }
}

class MemoryConversations implements ConversationStore {
  private readonly byId = new Map<string, Conversation>();
  private readonly claims = new Set<string>();

  async create(input: NewConversation): Promise<Conversation> {
    if (input.state !== 'closed' && this.openFor(input.channel, input.externalUserId)) {
      throw new DajeongError('conflict', 'an open conversation exists for this channel identity');
    }
    const now = new Date();
    const c: Conversation = {
      slots: {},
      misses: 0,
      handoffSeq: 0,
      ...clone(input),
      id: newId(),
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(c.id, c);
    return clone(c);
  }

  async get(id: string) {
    const c = this.byId.get(id);
    return c ? clone(c) : undefined;
  }

  async findOpen(channel: string, externalUserId: string) {
    const open = this.openFor(channel, externalUserId);
    return open ? clone(open) : undefined;
  }

  /** Synchronous lookup so create() checks and inserts without yielding in between. */
  private openFor(channel: string, externalUserId: string): Conversation | undefined {
    let best: Conversation | undefined;
    for (const c of this.byId.values()) {
      if (c.channel === channel && c.externalUserId === externalUserId && c.state !== 'closed') {
        if (!best || c.createdAt > best.createdAt) best = c;
      }
    }
    return best;
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation> {
    const c = this.byId.get(id);
    if (!c) throw new DajeongError('not_found', `conversation ${id} not found`);
    for (const [key, value] of Object.entries(clone(patch))) {
      if (value === undefined) delete (c as unknown as Record<string, unknown>)[key];
      else (c as unknown as Record<string, unknown>)[key] = value;
    }
    c.updatedAt = new Date();
    return clone(c);
  }

  async list(query: ConversationQuery): Promise<Conversation[]> {
    const out = [...this.byId.values()].filter(
      (c) =>
        (!query.states || query.states.includes(c.state)) &&
        (!query.assigneeId || c.assigneeId === query.assigneeId) &&
        (!query.residentId || c.residentId === query.residentId),
    );
    out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return clone(out.slice(0, query.limit ?? 1000));
  }

  async claim(conversationId: string, handoffSeq: number, _ownerId: string): Promise<boolean> {
    const key = `${conversationId}:${handoffSeq}`;
    if (this.claims.has(key)) return false;
    this.claims.add(key);
    return true;
  }

  async listClosedBefore(cutoff: Date, limit: number) {
    return clone(
      [...this.byId.values()].filter((c) => c.state === 'closed' && c.closedAt && c.closedAt < cutoff).slice(0, limit),
    );
  }

  async delete(id: string) {
    this.byId.delete(id);
    for (const key of [...this.claims]) if (key.startsWith(`${id}:`)) this.claims.delete(key);
  }
}

class MemoryMessages implements MessageStore {
  private readonly byId = new Map<string, Message>();
  private readonly byConversation = new Map<string, Message[]>();
  private readonly byChannelId = new Map<string, string>();
  private readonly retryClaims = new Set<string>();
  /** Hashed delivery keys with when they were first stored; they outlive deleted messages. */
  private readonly deliveries = new Map<string, Date>();

  /** The seq of a stored message (the outbox orders by it). */
  seqOf(id: string): number | undefined {
    return this.byId.get(id)?.seq;
  }

  async append(input: NewMessage): Promise<AppendResult> {
    if (input.channelMessageId) {
      const existing = this.byChannelId.get(`${input.channel}\u0000${input.channelMessageId}`);
      if (existing) return { message: clone(this.byId.get(existing)!), inserted: false };
    }
    const list = this.byConversation.get(input.conversationId) ?? [];
    const message: Message = { ...clone(input), id: newId(), seq: list.length + 1, createdAt: input.createdAt ?? new Date() };
    list.push(message);
    this.byConversation.set(input.conversationId, list);
    this.byId.set(message.id, message);
    if (input.channelMessageId) {
      this.byChannelId.set(`${input.channel}\u0000${input.channelMessageId}`, message.id);
      const key = deliveryKeyHash(input.channel, input.channelMessageId);
      if (!this.deliveries.has(key)) this.deliveries.set(key, message.createdAt);
    }
    return { message: clone(message), inserted: true };
  }

  async get(id: string) {
    const m = this.byId.get(id);
    return m ? clone(m) : undefined;
  }

  async listByConversation(conversationId: string, options: { afterSeq?: number; limit?: number } = {}) {
    const list = this.byConversation.get(conversationId) ?? [];
    const after = options.afterSeq ?? 0;
    return clone(list.filter((m) => m.seq > after).slice(0, options.limit ?? 500));
  }

  async listByResident(residentId: string, options: { limit?: number } = {}) {
    const out = [...this.byId.values()].filter((m) => m.residentId === residentId);
    out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq);
    return clone(out.slice(0, options.limit ?? 10000));
  }

  async markHandled(id: string, at: Date) {
    const m = this.byId.get(id);
    if (m) m.handledAt = at;
  }

  async deliveryState(channel: string, channelMessageId: string) {
    if (this.byChannelId.has(`${channel}\u0000${channelMessageId}`)) return 'stored' as const;
    return this.deliveries.has(deliveryKeyHash(channel, channelMessageId)) ? ('deleted' as const) : ('new' as const);
  }

  async forgetDeliveries(before: Date) {
    let n = 0;
    for (const [key, at] of this.deliveries) if (at < before && this.deliveries.delete(key)) n++;
    return n;
  }

  async claimRetry(messageId: string, round: number, _ownerId: string) {
    const key = `${messageId}:${round}`;
    if (this.retryClaims.has(key)) return false;
    // Bounded: only the newest claims matter (a round is a few seconds).
    if (this.retryClaims.size >= 10_000) this.retryClaims.clear();
    this.retryClaims.add(key);
    return true;
  }

  async listUnhandledInbound(since: Date, limit: number) {
    const out = [...this.byId.values()].filter((m) => m.direction === 'inbound' && !m.handledAt && m.createdAt >= since);
    out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return clone(out.slice(0, limit));
  }

  /** Every stored message, for the embedded store's search scan (not cloned: read-only use). */
  all(): Iterable<Message> {
    return this.byId.values();
  }

  async deleteByConversation(conversationId: string) {
    const list = this.byConversation.get(conversationId) ?? [];
    for (const m of list) {
      this.byId.delete(m.id);
      if (m.channelMessageId) this.byChannelId.delete(`${m.channel}\u0000${m.channelMessageId}`);
    }
    this.byConversation.delete(conversationId);
    return list.length;
  }
}

class MemoryAppSessions implements AppSessionStore {
  private readonly byHash = new Map<string, AppSession>();

  async create(session: AppSession) {
    if (this.byHash.has(session.tokenHash)) throw new DajeongError('conflict', 'token hash exists');
    this.byHash.set(session.tokenHash, clone(session));
  }

  async findByTokenHash(tokenHash: string) {
    const s = this.byHash.get(tokenHash);
    return s ? clone(s) : undefined;
  }

  async repoint(residentId: string, conversationId: string) {
    for (const s of this.byHash.values()) if (s.residentId === residentId) s.conversationId = conversationId;
  }

  async listByResident(residentId: string) {
    return clone([...this.byHash.values()].filter((s) => s.residentId === residentId));
  }

  async deleteByResident(residentId: string) {
    let n = 0;
    for (const [hash, s] of this.byHash) {
      if (s.residentId === residentId) {
        this.byHash.delete(hash);
        n++;
      }
    }
    return n;
  }

  async touch(tokenHash: string, at: Date) {
    const s = this.byHash.get(tokenHash);
    if (s) s.lastSeenAt = at;
  }

  async listIdleBefore(cutoff: Date, limit: number) {
    const seen = (s: AppSession) => (s.lastSeenAt ?? s.createdAt).getTime();
    const idle = [...this.byHash.values()].filter((s) => seen(s) < cutoff.getTime()).sort((a, b) => seen(a) - seen(b));
    return clone(idle.slice(0, limit));
  }

  async delete(tokenHash: string) {
    this.byHash.delete(tokenHash);
  }
}

class MemoryAudit implements AuditStore {
  private readonly events: AuditEvent[] = [];

  async record(event: Omit<AuditEvent, 'id' | 'at'> & { at?: Date }) {
    const e: AuditEvent = { ...clone(event), id: newId(), at: event.at ?? new Date() };
    this.events.push(e);
    return clone(e);
  }

  async list(query: { subject?: string; actor?: string; limit?: number }) {
    return clone(
      this.events
        .filter((e) => (!query.subject || e.subject === query.subject) && (!query.actor || e.actor === query.actor))
        .slice(-(query.limit ?? 1000)),
    );
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly durable = false;
  readonly residents = new MemoryResidents();
  readonly conversations = new MemoryConversations();
  readonly messages = new MemoryMessages();
  readonly appSessions = new MemoryAppSessions();
  readonly outbox = new MemoryOutbox((messageId) => this.messages.seqOf(messageId));
  readonly audit = new MemoryAudit();
  readonly users = new MemoryUsers();
  readonly consoleSessions = new MemoryConsoleSessions();
  readonly loginAttempts = new MemoryLoginAttempts();
  readonly episodes = new MemoryEpisodes();
  readonly surveys = new MemorySurveys();
  readonly alerts = new MemoryAlerts();
  readonly messageFlags = new MemoryMessageFlags();
  readonly figures = new MemoryFigures();
  readonly tickets = new MemoryTickets();
  readonly knowledge = new MemoryKnowledge();
  readonly notices = new MemoryNotices();
  readonly unanswered = new MemoryUnanswered();
  readonly media = new MemoryMedia();
  readonly cannedAnswers = new MemoryCannedAnswers();
  readonly messageSearch = new MemoryMessageSearch(() => this.messages.all());
  readonly qaReviews = new MemoryQa();

  async healthy() {
    return true;
  }

  async close() {}
}
