/**
 * Interpreters in a chat (three-way): a counselor invites an interpreter into a live chat they own,
 * the interpreter joins, writes to the resident and to the counselor, and leaves. One record per
 * invitation; the contested steps (join once, leave once) are decided by inserting a claim under a
 * unique key, because FerretDB applies no filter-guarded update atomically.
 */
import type { Language } from './message';

/** invited: waiting for the interpreter; joined: in the chat; left: gone (or the chat ended first). */
export type InterpreterSessionStatus = 'invited' | 'joined' | 'left';
export const INTERPRETER_SESSION_STATUSES: readonly InterpreterSessionStatus[] = ['invited', 'joined', 'left'];

export interface InterpreterSession {
  /** `interp:<conversationId>:<handoffSeq>:<interpreterId>`: one invitation per interpreter and episode. */
  id: string;
  conversationId: string;
  /** The queue episode (and so the counselor's stay) the invitation belongs to. */
  handoffSeq: number;
  interpreterId: string;
  /** The resident's language the interpreter works in. */
  language: Language;
  /** The counselor or supervisor who invited. */
  invitedBy: string;
  invitedAt: Date;
  status: InterpreterSessionStatus;
  joinedAt?: Date;
  /** The last message seq before the join: the interpreter reads only what came after. */
  joinedAfterSeq?: number;
  leftAt?: Date;
  /** Who ended it (the interpreter, the counselor, or 'system' when the chat ended). */
  leftBy?: string;
}

export type NewInterpreterSession = Pick<InterpreterSession, 'conversationId' | 'handoffSeq' | 'interpreterId' | 'language' | 'invitedBy' | 'invitedAt'>;

export type InterpreterSessionPatch = Partial<Pick<InterpreterSession, 'status' | 'joinedAt' | 'joinedAfterSeq' | 'leftAt' | 'leftBy'>>;

export interface InterpreterStore {
  /** Inserts the invitation; `created` is false (and the stored one returned) when it existed. */
  invite(input: NewInterpreterSession): Promise<{ session: InterpreterSession; created: boolean }>;
  get(id: string): Promise<InterpreterSession | undefined>;
  /** Plain update (contested steps take a claim first); rejects with 'not_found'. */
  update(id: string, patch: InterpreterSessionPatch): Promise<InterpreterSession>;
  /** Invitations of one conversation, oldest first. */
  listByConversation(conversationId: string): Promise<InterpreterSession[]>;
  /** Invitations of one interpreter in these statuses, newest first. */
  listByInterpreter(interpreterId: string, statuses: InterpreterSessionStatus[], limit: number): Promise<InterpreterSession[]>;
  /**
   * True for exactly one of several concurrent callers with the same key (e.g. `<sessionId>:join`);
   * the claim is kept under its conversation, so deleting the conversation's data removes it.
   */
  claim(key: string, claim: { conversationId: string; by: string; at: Date }): Promise<boolean>;
  /** Privacy deletion and retention: the conversation's invitations and their claims. */
  deleteByConversation(conversationId: string): Promise<number>;
}

/** The invitation id of an interpreter in one episode of a conversation. */
export const interpreterSessionId = (conversationId: string, handoffSeq: number, interpreterId: string) =>
  `interp:${conversationId}:${handoffSeq}:${interpreterId}`;

/**
 * True while the invitation still counts: not left, and the conversation is still with the
 * counselor of the same episode (a close, transfer, hand-back or requeue ends every invitation).
 */
export function isSessionLive(session: InterpreterSession, conversation: { state: string; handoffSeq: number }): boolean {
  return session.status !== 'left' && conversation.state === 'assigned' && conversation.handoffSeq === session.handoffSeq;
}
