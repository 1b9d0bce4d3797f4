/**
 * What a counselor may read of a conversation, and the case view: the whole transcript (paged
 * through the store), abuse flags, the resident's channels, past chats, tickets and queue episodes.
 */
import type { Conversation } from '../core/conversation';
import { isSessionLive } from '../core/interpreter-port';
import type { Message } from '../core/message';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffService } from '../handoff/handoff-service';
import { readableConversation } from './conversation-access';
import { maskIdentity, toConsoleMessage, toConversationView } from './console-views';

/** Transcript page size, and the most messages a case view shows. */
const PAGE = 500;
const MAX_TRANSCRIPT = 5000;

export class CaseViewService {
  constructor(private readonly deps: { store: Store; handoff: HandoffService }) {}

  /** The conversation, or 404. */
  async get(conversationId: string): Promise<Conversation> {
    const c = await this.deps.store.conversations.get(conversationId);
    if (!c) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id: conversationId } });
    return c;
  }

  /** The conversation when `user` may read it (the one rule of conversation-access.ts); 404 or 403. */
  readable(user: ConsoleUser, conversationId: string): Promise<Conversation> {
    return readableConversation(this.deps.store, user, conversationId);
  }

  /** Display names of every console user, by id. */
  async names(): Promise<Map<string, string>> {
    return new Map((await this.deps.store.users.list()).map((u) => [u.id, u.displayName]));
  }

  /** The transcript, oldest first, read page by page (at most 5000 messages). */
  async transcript(conversationId: string): Promise<Message[]> {
    const out: Message[] = [];
    for (let after = 0; out.length < MAX_TRANSCRIPT; ) {
      const page = await this.deps.store.messages.listByConversation(conversationId, { afterSeq: after, limit: PAGE });
      out.push(...page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    return out;
  }

  /** Everything the console shows about one conversation. */
  async detail(c: Conversation) {
    const { store, handoff } = this.deps;
    const [messages, flags, resident, siblings, episodes, userNames, waiting, interpreters] = await Promise.all([
      this.transcript(c.id),
      store.messageFlags.listByConversation(c.id),
      store.residents.get(c.residentId),
      store.conversations.list({ residentId: c.residentId, limit: 50 }),
      store.episodes.listByConversation(c.id),
      this.names(),
      handoff.residentWaiting(c),
      store.interpreters.listByConversation(c.id),
    ]);
    const tickets = store.tickets ? await store.tickets.list({ residentId: c.residentId, limit: 20 }).catch(() => []) : [];
    const abusive = new Set(flags.map((f) => f.messageId));
    return {
      conversation: toConversationView(c, userNames),
      // Interpreters write under their own name; the console labels their messages with it.
      messages: messages.map((m) => ({ ...toConsoleMessage(m, abusive), ...(m.flags?.interpreter && m.authorId && { authorName: userNames.get(m.authorId) ?? m.authorId }) })),
      interpreters: interpreters.map((s) => ({
        id: s.id,
        interpreterId: s.interpreterId,
        interpreterName: userNames.get(s.interpreterId) ?? s.interpreterId,
        language: s.language,
        status: s.status,
        live: isSessionLive(s, c),
      })),
      residentWaiting: Boolean(waiting),
      resident: {
        id: c.residentId,
        ...(resident?.locale && { locale: resident.locale }),
        channels: (resident?.identities ?? []).map(maskIdentity),
      },
      otherConversations: await Promise.all(
        siblings
          .filter((s) => s.id !== c.id)
          .reverse()
          .map(async (s) => {
            const last = (await store.episodes.listByConversation(s.id)).at(-1);
            return {
              id: s.id,
              channel: s.channel,
              state: s.state,
              createdAt: s.createdAt.toISOString(),
              ...(s.lastIntent && { lastIntent: s.lastIntent }),
              ...(last?.resolution && { resolution: last.resolution }),
            };
          }),
      ),
      tickets: tickets.map((t) => ({ id: t.id, reference: t.reference, category: t.category, status: t.status, createdAt: t.createdAt.toISOString() })),
      episodes: episodes.map((e) => ({
        handoffSeq: e.handoffSeq,
        reason: e.reason,
        priority: e.priority,
        queuedAt: e.queuedAt.toISOString(),
        ...(e.counselorId && { counselorId: e.counselorId, counselorName: userNames.get(e.counselorId) }),
        ...(e.assignedAt && { assignedAt: e.assignedAt.toISOString() }),
        ...(e.endedAt && { endedAt: e.endedAt.toISOString() }),
        ...(e.outcome && { outcome: e.outcome }),
        ...(e.resolution && { resolution: e.resolution }),
        ...(e.team && { team: e.team }),
        ...(e.callback && { callback: true }),
      })),
    };
  }
}
