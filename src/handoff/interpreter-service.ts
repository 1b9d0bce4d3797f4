/**
 * Interpreters in the chat (three-way): the standby pool by language, invitations from the
 * counselor who owns a chat, join and leave (each decided once by a unique-key claim, so two tabs
 * or two instances never announce a join twice), and the interpreter's messages: to the resident
 * (delivered on the resident's channel like a counselor's, prefixed with the interpreter's name,
 * since every channel speaks with one bot identity) or to the counselor (internal, never
 * delivered). The resident is told in their language who joined and left; every step is audited.
 */
import { encodeButton } from '../core/button-payload';
import type { Conversation } from '../core/conversation';
import type { EventBus } from '../core/event-port';
import { isSessionLive, type InterpreterSession } from '../core/interpreter-port';
import type { Logger } from '../core/logger-port';
import { textContent, type Message } from '../core/message';
import type { Outbound } from '../core/outbound-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser, Presence } from '../core/user-port';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import { HandoffError } from './handoff-errors';
import { effectivePresence } from './presence';
import type { ShiftSchedule } from './shift-schedule';

export interface InterpreterServiceDeps {
  store: Store;
  bus: EventBus;
  outbound: Outbound;
  shifts: ShiftSchedule;
  presenceTtlMs: number;
  logger: Logger;
}

/** One interpreter as the pool view shows them. */
export interface PoolEntry {
  user: ConsoleUser;
  presence: Presence;
  /** Available, on shift (or unscheduled) and in no other live chat: may be invited now. */
  standby: boolean;
  /** Live invitations (invited or joined) right now. */
  active: number;
}

export type InviteResult = { outcome: 'invited'; session: InterpreterSession } | { outcome: 'none_on_standby'; language: string };

/** An invitation with what the interpreter's list shows of its chat. */
export interface InvitationView {
  session: InterpreterSession;
  conversation: Conversation;
  counselorName?: string;
}

/** Invitations an interpreter lists, and messages read, at most. */
const LIST_LIMIT = 50;
const PAGE = 500;
const MAX_TRANSCRIPT = 5000;

export class InterpreterService {
  constructor(private readonly deps: InterpreterServiceDeps) {}

  /** Every interpreter account (not disabled) with presence, standby and live invitations; `language` filters. */
  async pool(language?: string, now = new Date()): Promise<PoolEntry[]> {
    const { store, shifts, presenceTtlMs } = this.deps;
    const users = (await store.users.list({ role: 'interpreter' })).filter((u) => !u.disabled && (!language || u.languages.includes(language)));
    return Promise.all(
      users.map(async (user) => {
        const presence = effectivePresence(user, now, presenceTtlMs);
        const active = await this.liveSessionsOf(user.id);
        const standby = presence === 'available' && shifts.takesNewChats(user, now) && active.length === 0;
        return { user, presence, standby, active: active.length };
      }),
    );
  }

  /**
   * Invites an interpreter into a chat the actor owns (supervisors: any assigned chat): the one
   * named, or the first on standby for the language (default: the resident's). With nobody on
   * standby the counselor gets a note, and the resident is told honestly and offered a callback.
   * Inviting the same interpreter twice in one episode answers with the first invitation.
   * A named interpreter who is not on standby is invited all the same (they may come back).
   * @throws HandoffError 404 no such interpreter for the language, 409 that interpreter already left this stay.
   */
  async invite(actor: ConsoleUser, conversationId: string, input: { interpreterId?: string; language?: string }): Promise<InviteResult> {
    const conversation = this.requireOwner(actor, await this.conversation(conversationId));
    const language = input.language ?? conversation.language;
    const pool = await this.pool(language);
    const chosen = input.interpreterId ? pool.find((p) => p.user.id === input.interpreterId) : pool.find((p) => p.standby);
    if (input.interpreterId && !chosen) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchInterpreter', values: { language } });
    if (!chosen) return this.noneOnStandby(actor, conversation, language);
    const { session, created } = await this.createInvitation(conversation, chosen, language, actor.id);
    if (!created && session.status === 'left') throw new HandoffError(409, 'interpreter_left', { key: 'staff.error.interpreterAlreadyLeft', values: { name: chosen.user.displayName } });
    return { outcome: 'invited', session };
  }

  /** Stores the invitation; a new one is audited, noted in the console and announced. */
  private async createInvitation(conversation: Conversation, chosen: PoolEntry, language: string, invitedBy: string) {
    const { store } = this.deps;
    const now = new Date();
    const result = await store.interpreters.invite({
      conversationId: conversation.id,
      handoffSeq: conversation.handoffSeq,
      interpreterId: chosen.user.id,
      language,
      invitedBy,
      invitedAt: now,
    });
    if (!result.created) return result;
    const { session } = result;
    await store.audit.record({ actor: invitedBy, action: 'interpreter.invite', subject: conversation.id, at: now, details: { sessionId: session.id, interpreterId: chosen.user.id, language, handoffSeq: conversation.handoffSeq, standby: chosen.standby } });
    await this.deps.outbound.noteForStaff(conversation.id, tr('staff.note.interpreterInvited', STAFF_LANGUAGE, { name: chosen.user.displayName, language }));
    this.announce(conversation, 'interpreter_invited');
    return result;
  }

  /** The chats an interpreter is invited into or has joined, still live, newest first. */
  async invitations(interpreter: ConsoleUser): Promise<InvitationView[]> {
    const { store } = this.deps;
    const sessions = await store.interpreters.listByInterpreter(interpreter.id, ['invited', 'joined'], LIST_LIMIT);
    const views = await Promise.all(
      sessions.map(async (session) => {
        const conversation = await store.conversations.get(session.conversationId);
        if (!conversation || !isSessionLive(session, conversation)) return undefined;
        const counselor = conversation.assigneeId ? await store.users.get(conversation.assigneeId) : undefined;
        return { session, conversation, ...(counselor && { counselorName: counselor.displayName }) };
      }),
    );
    return views.filter((v): v is InvitationView => v !== undefined);
  }

  /** One invitation of the interpreter, and the transcript from their join on (nothing before joining). */
  async view(interpreter: ConsoleUser, sessionId: string): Promise<InvitationView & { messages: Message[] }> {
    const { session, conversation } = await this.live(interpreter, sessionId);
    const counselor = conversation.assigneeId ? await this.deps.store.users.get(conversation.assigneeId) : undefined;
    const messages = session.status === 'joined' ? await this.transcript(conversation.id, session.joinedAfterSeq ?? 0) : [];
    return { session, conversation, ...(counselor && { counselorName: counselor.displayName }), messages };
  }

  /**
   * The interpreter joins: exactly once per invitation (a unique claim), the resident is told in
   * their language, the console gets a note, the audit a record.
   * @throws HandoffError 404 not theirs, 409 already joined or the chat moved on.
   */
  async join(interpreter: ConsoleUser, sessionId: string): Promise<InterpreterSession> {
    const { store } = this.deps;
    const { session, conversation } = await this.live(interpreter, sessionId);
    if (session.status !== 'invited') throw new HandoffError(409, 'already_joined', { key: 'staff.error.interpreterAlreadyJoined' });
    const now = new Date();
    if (!(await store.interpreters.claim(`${session.id}:join`, { conversationId: conversation.id, by: interpreter.id, at: now }))) {
      throw new HandoffError(409, 'already_joined', { key: 'staff.error.interpreterAlreadyJoined' });
    }
    const joined = await store.interpreters.update(session.id, { status: 'joined', joinedAt: now, joinedAfterSeq: await this.lastSeq(conversation.id) });
    await store.audit.record({ actor: interpreter.id, action: 'interpreter.join', subject: conversation.id, at: now, details: { sessionId: session.id, language: session.language, handoffSeq: session.handoffSeq } });
    await this.tell(conversation, tr('resident.interpreter.joined', conversation.language, { name: interpreter.displayName }));
    await this.deps.outbound.noteForStaff(conversation.id, tr('staff.note.interpreterJoined', STAFF_LANGUAGE, { name: interpreter.displayName, language: session.language }));
    this.announce(conversation, 'interpreter_joined');
    return joined;
  }

  /**
   * A joined interpreter writes to the resident (delivered on their channel, prefixed with the
   * interpreter's name) or to the counselor (an internal message, never delivered).
   * @throws HandoffError 409 not joined (yet, or any more).
   */
  async say(interpreter: ConsoleUser, sessionId: string, input: { to: 'resident' | 'counselor'; text: string }): Promise<Message> {
    const { session, conversation } = await this.live(interpreter, sessionId);
    if (session.status !== 'joined') throw new HandoffError(409, 'not_joined', { key: 'staff.error.interpreterNotJoined' });
    const toResident = input.to === 'resident';
    const text = toResident ? tr('resident.interpreter.prefix', conversation.language, { name: interpreter.displayName, text: input.text }) : input.text;
    const [message] = await this.deps.outbound.send(conversation, [
      { author: 'counselor', authorId: interpreter.id, content: textContent(text), flags: toResident ? { interpreter: true } : { interpreter: true, internal: true } },
    ]);
    await this.deps.store.audit.record({ actor: interpreter.id, action: 'interpreter.message', subject: conversation.id, details: { sessionId: session.id, to: input.to, messageId: message!.id } });
    return message!;
  }

  /**
   * Ends an invitation: the interpreter leaves, or the counselor (or a supervisor) lets them go.
   * Decided once by a claim; a joined interpreter's leave is told to the resident and audited.
   * @throws HandoffError 404 not theirs to end, 409 already over.
   */
  async leave(actor: ConsoleUser, sessionId: string): Promise<InterpreterSession> {
    const { store } = this.deps;
    const session = await store.interpreters.get(sessionId);
    const conversation = session ? await store.conversations.get(session.conversationId) : undefined;
    const mayEnd = session && conversation && (session.interpreterId === actor.id || conversation.assigneeId === actor.id || actor.role === 'supervisor');
    if (!session || !conversation || !mayEnd) throw notInvited();
    if (session.status === 'left') throw new HandoffError(409, 'interpreter_left', { key: 'staff.error.interpreterSessionOver' });
    const ended = await this.end(session, actor.id, conversation);
    if (!ended) throw new HandoffError(409, 'interpreter_left', { key: 'staff.error.interpreterSessionOver' });
    return ended;
  }

  /** Ends every live invitation of a chat whose counselor stay ended (close, transfer, hand-back, requeue); audited, the resident not told. */
  async endAll(conversationId: string): Promise<void> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    for (const session of await this.deps.store.interpreters.listByConversation(conversationId)) {
      if (session.status === 'left' || (conversation && isSessionLive(session, conversation))) continue;
      await this.end(session, 'system', undefined);
    }
  }

  /**
   * For a chat whose counselor does not list its language: with `invite` (the router gave it, so
   * nobody free speaks it) invites the first interpreter on standby; otherwise, or with nobody on
   * standby, asks the counselor in a note, saying how many are on standby. Once per episode.
   */
  async suggestFor(conversation: Conversation, options: { invite: boolean }): Promise<void> {
    const counselor = conversation.assigneeId ? await this.deps.store.users.get(conversation.assigneeId) : undefined;
    if (!counselor || counselor.languages.includes(conversation.language)) return;
    // Every instance hears the assignment: one of them writes the note.
    const claim = { conversationId: conversation.id, by: 'router', at: new Date() };
    if (!(await this.deps.store.interpreters.claim(`suggest:${conversation.id}:${conversation.handoffSeq}`, claim))) return;
    const standby = (await this.pool(conversation.language)).filter((p) => p.standby);
    if (options.invite && standby[0]) {
      await this.createInvitation(conversation, standby[0], conversation.language, 'router');
      return;
    }
    const key = standby.length ? 'staff.note.interpreterSuggested' : 'staff.note.interpreterSuggestedNone';
    await this.deps.outbound.noteForStaff(conversation.id, tr(key, STAFF_LANGUAGE, { language: conversation.language, count: standby.length }));
  }

  /** Every invitation of a chat, oldest first (the counselor's view of who is or was in it). */
  sessionsOf(conversationId: string): Promise<InterpreterSession[]> {
    return this.deps.store.interpreters.listByConversation(conversationId);
  }

  private async end(session: InterpreterSession, by: string, conversation: Conversation | undefined): Promise<InterpreterSession | undefined> {
    const { store } = this.deps;
    const now = new Date();
    if (!(await store.interpreters.claim(`${session.id}:leave`, { conversationId: session.conversationId, by, at: now }))) return undefined;
    const ended = await store.interpreters.update(session.id, { status: 'left', leftAt: now, leftBy: by });
    const wasJoined = session.status === 'joined';
    await store.audit.record({
      actor: by,
      action: wasJoined ? 'interpreter.leave' : 'interpreter.cancel',
      subject: session.conversationId,
      at: now,
      details: { sessionId: session.id, interpreterId: session.interpreterId, handoffSeq: session.handoffSeq },
    });
    const interpreter = await store.users.get(session.interpreterId);
    const name = interpreter?.displayName ?? session.interpreterId;
    // Only while the chat goes on: after a close or transfer the resident has been told already.
    if (conversation && isSessionLive(session, conversation)) {
      if (wasJoined) await this.tell(conversation, tr('resident.interpreter.left', conversation.language, { name }));
      await this.deps.outbound.noteForStaff(conversation.id, tr(wasJoined ? 'staff.note.interpreterLeft' : 'staff.note.interpreterCancelled', STAFF_LANGUAGE, { name }));
      this.announce(conversation, 'interpreter_left');
    }
    return ended;
  }

  /** Tells the counselor and the resident that nobody is on standby, and offers the resident a callback. */
  private async noneOnStandby(actor: ConsoleUser, conversation: Conversation, language: string): Promise<InviteResult> {
    const lang = conversation.language;
    await this.deps.store.audit.record({ actor: actor.id, action: 'interpreter.none_on_standby', subject: conversation.id, details: { language, handoffSeq: conversation.handoffSeq } });
    await this.tell(
      conversation,
      textContent(tr('resident.interpreter.noneAvailable', lang), {
        quickReplies: [{ label: tr('resident.button.leaveMessage', lang), payload: encodeButton({ kind: 'queue-choice', choice: 'leave-message' }) }],
      }),
    );
    await this.deps.outbound.noteForStaff(conversation.id, tr('staff.note.interpreterNone', STAFF_LANGUAGE, { language }));
    this.announce(conversation, 'interpreter_none');
    return { outcome: 'none_on_standby', language };
  }

  /** The interpreter's own invitation with its chat, while live. */
  private async live(interpreter: ConsoleUser, sessionId: string): Promise<{ session: InterpreterSession; conversation: Conversation }> {
    const session = await this.deps.store.interpreters.get(sessionId);
    if (!session || session.interpreterId !== interpreter.id) throw notInvited();
    const conversation = await this.deps.store.conversations.get(session.conversationId);
    if (!conversation || !isSessionLive(session, conversation)) throw new HandoffError(409, 'interpreter_left', { key: 'staff.error.interpreterSessionOver' });
    return { session, conversation };
  }

  private requireOwner(actor: ConsoleUser, conversation: Conversation): Conversation {
    if (conversation.state !== 'assigned') throw new HandoffError(409, 'not_assigned', { key: 'staff.error.notAssigned', values: { state: conversation.state } });
    if (conversation.assigneeId !== actor.id && actor.role !== 'supervisor') throw new HandoffError(403, 'not_owner', { key: 'staff.error.notOwner' });
    return conversation;
  }

  private async conversation(id: string): Promise<Conversation> {
    const c = await this.deps.store.conversations.get(id);
    if (!c) throw new HandoffError(404, 'not_found', { key: 'staff.error.conversationNotFound', values: { id } });
    return c;
  }

  private async liveSessionsOf(interpreterId: string): Promise<InterpreterSession[]> {
    const { store } = this.deps;
    const sessions = await store.interpreters.listByInterpreter(interpreterId, ['invited', 'joined'], LIST_LIMIT);
    const live = await Promise.all(sessions.map(async (s) => {
      const c = await store.conversations.get(s.conversationId);
      return c && isSessionLive(s, c) ? s : undefined;
    }));
    return live.filter((s): s is InterpreterSession => s !== undefined);
  }

  private async transcript(conversationId: string, afterSeq: number): Promise<Message[]> {
    const out: Message[] = [];
    for (let after = afterSeq; out.length < MAX_TRANSCRIPT; ) {
      const page = await this.deps.store.messages.listByConversation(conversationId, { afterSeq: after, limit: PAGE });
      out.push(...page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    return out;
  }

  private async lastSeq(conversationId: string): Promise<number> {
    let last = 0;
    for (;;) {
      const page = await this.deps.store.messages.listByConversation(conversationId, { afterSeq: last, limit: PAGE });
      if (page.length) last = page.at(-1)!.seq;
      if (page.length < PAGE) return last;
    }
  }

  /** A system notice to the resident; a lost notice must not undo the step that already happened. */
  private async tell(conversation: Conversation, content: string | ReturnType<typeof textContent>): Promise<void> {
    try {
      await this.deps.outbound.send(conversation, [{ author: 'system', content: typeof content === 'string' ? textContent(content) : content }]);
    } catch (err) {
      this.deps.logger.error({ err, conversationId: conversation.id }, 'could not send an interpreter notice');
    }
  }

  /** Consoles reload the chat (its counselor, supervisors, its interpreters). */
  private announce(conversation: Conversation, reason: string): void {
    this.deps.bus.publish('conversation', { conversation, reason });
  }
}

const notInvited = () => new HandoffError(404, 'not_found', { key: 'staff.error.interpreterNotInvited' });
