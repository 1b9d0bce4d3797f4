/** InterpreterStore in memory (embedded store and tests); the same behaviour as the MongoDB one. */
import { DajeongError } from '../../core/errors';
import {
  interpreterSessionId,
  type InterpreterSession,
  type InterpreterSessionPatch,
  type InterpreterSessionStatus,
  type InterpreterStore,
  type NewInterpreterSession,
} from '../../core/interpreter-port';
import { clone } from './clone';

export class MemoryInterpreters implements InterpreterStore {
  private readonly sessions = new Map<string, InterpreterSession>();
  /** Claim key -> the conversation it is about. */
  private readonly claims = new Map<string, string>();

  async invite(input: NewInterpreterSession) {
    const id = interpreterSessionId(input.conversationId, input.handoffSeq, input.interpreterId);
    const existing = this.sessions.get(id);
    if (existing) return { session: clone(existing), created: false };
    const session: InterpreterSession = { ...clone(input), id, status: 'invited' };
    this.sessions.set(id, session);
    return { session: clone(session), created: true };
  }

  async get(id: string) {
    const s = this.sessions.get(id);
    return s ? clone(s) : undefined;
  }

  async update(id: string, patch: InterpreterSessionPatch) {
    const s = this.sessions.get(id);
    if (!s) throw new DajeongError('not_found', `interpreter session ${id} not found`);
    Object.assign(s, clone(patch));
    return clone(s);
  }

  async listByConversation(conversationId: string) {
    const out = [...this.sessions.values()].filter((s) => s.conversationId === conversationId);
    out.sort((a, b) => a.invitedAt.getTime() - b.invitedAt.getTime() || (a.id < b.id ? -1 : 1));
    return clone(out);
  }

  async listByInterpreter(interpreterId: string, statuses: InterpreterSessionStatus[], limit: number) {
    const out = [...this.sessions.values()].filter((s) => s.interpreterId === interpreterId && statuses.includes(s.status));
    out.sort((a, b) => b.invitedAt.getTime() - a.invitedAt.getTime() || (a.id < b.id ? 1 : -1));
    return clone(out.slice(0, limit));
  }

  async claim(key: string, claim: { conversationId: string }) {
    if (this.claims.has(key)) return false;
    this.claims.set(key, claim.conversationId);
    return true;
  }

  async deleteByConversation(conversationId: string) {
    for (const [key, owner] of this.claims) if (owner === conversationId) this.claims.delete(key);
    let removed = 0;
    for (const [id, s] of this.sessions) {
      if (s.conversationId !== conversationId) continue;
      this.sessions.delete(id);
      removed++;
    }
    return removed;
  }
}
