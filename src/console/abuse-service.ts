/**
 * Counselors and abusive residents: revealing a masked message (audited), the standard warning in
 * the resident's language, and escalation to supervisors with copies of the flagged messages kept
 * as evidence in the alert.
 */
import { textContent, partsOf, type Message } from '../core/message';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import type { AlertService } from '../handoff/alert-service';
import { HandoffError } from '../handoff/handoff-errors';
import type { HandoffService } from '../handoff/handoff-service';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import type { CaseViewService } from './case-view-service';

export interface AbuseServiceDeps {
  store: Store;
  handoff: HandoffService;
  alerts: AlertService;
  cases: CaseViewService;
}

export class AbuseService {
  constructor(private readonly deps: AbuseServiceDeps) {}

  /** A masked message of a conversation the user may read; the reveal is audited. */
  async reveal(user: ConsoleUser, conversationId: string, messageId: string): Promise<Message> {
    const c = await this.deps.cases.readable(user, conversationId);
    const m = await this.deps.store.messages.get(messageId);
    if (!m || m.conversationId !== c.id) throw new HandoffError(404, 'not_found', { key: 'staff.error.noSuchMessage' });
    await this.deps.store.audit.record({ actor: user.id, action: 'abuse.reveal', subject: c.id, details: { messageId: m.id } });
    return m;
  }

  /** Sends the standard warning about abusive language as the counselor's reply. */
  async warn(user: ConsoleUser, conversationId: string): Promise<Message[]> {
    const c = await this.deps.cases.get(conversationId);
    const sent = await this.deps.handoff.reply(user, c.id, textContent(tr('resident.handoff.abuseWarning', c.language)));
    await this.deps.store.audit.record({ actor: user.id, action: 'abuse.warn', subject: c.id });
    return sent;
  }

  /** Alerts supervisors once per set of flagged messages, with copies of them as evidence. */
  async report(user: ConsoleUser, conversationId: string, note: string | undefined): Promise<{ alertId: string; created: boolean }> {
    const { store } = this.deps;
    const c = await this.deps.cases.readable(user, conversationId);
    const flags = await store.messageFlags.listByConversation(c.id);
    const evidence = (await Promise.all(flags.map((f) => store.messages.get(f.messageId)))).filter((m): m is Message => Boolean(m));
    const { alert, created } = await this.deps.alerts.raise({
      key: `abuse:${c.id}:${c.handoffSeq}:${evidence.length}`,
      kind: 'abuse',
      conversationId: c.id,
      message: tr('staff.alert.abuseReport', STAFF_LANGUAGE, { name: user.displayName, count: evidence.length }),
      raisedBy: user.id,
      details: {
        ...(note && { note }),
        evidence: evidence.map((m) => ({ messageId: m.id, seq: m.seq, text: partsOf(m.content).text, at: m.createdAt.toISOString() })),
      },
    });
    return { alertId: alert.id, created };
  }
}
