/**
 * Data-subject requests for one resident: export everything we hold about them, or delete it.
 * Both write an audit event that names only the resident id, the actor and counts, so the audit
 * trail survives the deletion without keeping the personal data it was about.
 */
import type { Conversation, Resident } from '../core/conversation';
import { DajeongError } from '../core/errors';
import type { Logger } from '../core/logger-port';
import type { Message } from '../core/message';
import type { AppSession, Store } from '../core/store-port';
import type { Survey } from '../core/handoff-port';
import type { Ticket } from '../core/ticket-port';
import type { UnansweredItem } from '../core/unanswered-port';
import { eraseConversationData } from '../store/conversation-erasure';

/** An app session without its token hash: the hash is a credential, not data about the person. */
export type AppSessionMetadata = Omit<AppSession, 'tokenHash'>;

export interface ResidentExport {
  exportedAt: Date;
  resident: Resident;
  conversations: Conversation[];
  /** Every message of their conversations, by conversation then seq. */
  messages: Message[];
  appSessions: AppSessionMetadata[];
  /** Civil-complaint tickets they filed (descriptions, locations, photos). */
  tickets: Ticket[];
  /** Their satisfaction survey answers, comments included. */
  surveys: Survey[];
  /** Questions of theirs the bot could not answer (kept for staff review), with how often they asked. */
  unanswered: (UnansweredItem & { askedByResident: number })[];
}

/** What deleteResident removed. */
export interface DeletionReport {
  residentId: string;
  conversations: number;
  messages: number;
  outbox: number;
  appSessions: number;
  tickets: number;
  /** Queue episodes, surveys, supervisor alerts and moderation flags. */
  handoffRecords: number;
  /** Unanswered-question items only they asked (shared ones only lose their occurrences). */
  unanswered: number;
}

export const PRIVACY_EXPORT = 'privacy.export';
export const PRIVACY_DELETE = 'privacy.delete';
export const PRIVACY_DELETE_FAILED = 'privacy.delete.failed';

const PAGE = 500;
// Bounds the delete loop if a store keeps returning records it does not delete.
const MAX_PAGES = 1_000;

export class PrivacyService {
  constructor(
    private readonly store: Store,
    private readonly logger?: Logger,
  ) {}

  /**
   * Everything about one resident. The audit event is written before the data is returned,
   * so no export leaves without a trace.
   * @throws DajeongError not_found for an unknown resident.
   */
  async exportResident(residentId: string, actor: string): Promise<ResidentExport> {
    const resident = await this.requireResident(residentId);
    const conversations = await this.store.conversations.list({ residentId, limit: PAGE * MAX_PAGES });
    const messages = await this.collectMessages(residentId, conversations);
    const tickets = await this.store.tickets.list({ residentId, limit: PAGE * MAX_PAGES });
    const surveys = (await Promise.all(conversations.map((c) => this.store.surveys.listByConversation(c.id)))).flat();
    const unanswered = await this.store.unanswered.listByResident(residentId);
    const out: ResidentExport = {
      tickets,
      surveys,
      unanswered,
      exportedAt: new Date(),
      resident,
      conversations,
      messages,
      appSessions: [],
    };
    out.appSessions = (await this.store.appSessions.listByResident(residentId)).map(
      ({ tokenHash: _hash, ...rest }) => rest,
    );
    await this.store.audit.record({
      actor,
      action: PRIVACY_EXPORT,
      subject: residentId,
      details: {
        conversations: conversations.length,
        messages: messages.length,
        appSessions: out.appSessions.length,
        tickets: tickets.length,
        unanswered: unanswered.length,
      },
    });
    return out;
  }

  /**
   * Deletes the resident's messages, outbox entries, conversations, tickets, unanswered questions, app sessions and finally the
   * resident (freeing their channel identities). Safe to retry after a failure: the resident
   * record goes last, so a half-done deletion is found and finished by the next call.
   * @throws DajeongError not_found for an unknown resident.
   */
  async deleteResident(residentId: string, actor: string): Promise<DeletionReport> {
    await this.requireResident(residentId);
    const report: DeletionReport = {
      residentId,
      conversations: 0,
      messages: 0,
      outbox: 0,
      appSessions: 0,
      tickets: 0,
      handoffRecords: 0,
      unanswered: 0,
    };
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const conversations = await this.store.conversations.list({ residentId, limit: PAGE });
        for (const c of conversations) {
          await this.deleteConversationData(c.id, report);
          await this.store.conversations.delete(c.id);
          report.conversations++;
        }
        if (conversations.length < PAGE) break;
      }
      await this.deleteOrphanMessages(residentId, report);
      report.tickets = await this.store.tickets.deleteByResident(residentId);
      report.unanswered = await this.store.unanswered.forgetResident(residentId);
      report.appSessions = await this.store.appSessions.deleteByResident(residentId);
      await this.store.residents.delete(residentId);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      await this.store.audit
        .record({
          actor,
          action: PRIVACY_DELETE_FAILED,
          subject: residentId,
          details: { error: typeof code === 'string' ? code : 'internal' },
        })
        .catch(() => undefined);
      throw err;
    }
    const { residentId: _id, ...counts } = report;
    await this.store.audit.record({ actor, action: PRIVACY_DELETE, subject: residentId, details: counts });
    return report;
  }

  private async requireResident(residentId: string): Promise<Resident> {
    const resident = await this.store.residents.get(residentId);
    if (!resident) throw new DajeongError('not_found', `resident ${residentId} not found`);
    return resident;
  }

  /** Full transcripts (bot and counselor turns too) plus any stray message carrying their id. */
  private async collectMessages(residentId: string, conversations: Conversation[]): Promise<Message[]> {
    const byId = new Map<string, Message>();
    for (const c of conversations) {
      let afterSeq = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const batch = await this.store.messages.listByConversation(c.id, { afterSeq, limit: PAGE });
        for (const m of batch) byId.set(m.id, m);
        if (batch.length < PAGE) break;
        afterSeq = batch[batch.length - 1]!.seq;
      }
    }
    for (const m of await this.store.messages.listByResident(residentId, { limit: PAGE * MAX_PAGES }))
      byId.set(m.id, m);
    return [...byId.values()];
  }

  private async deleteConversationData(conversationId: string, report: DeletionReport): Promise<void> {
    const erased = await eraseConversationData(this.store, conversationId);
    report.outbox += erased.outbox;
    report.messages += erased.messages;
    report.handoffRecords += erased.handoff;
  }

  /**
   * Messages with their id whose conversation no longer exists (e.g. an earlier run stopped
   * midway). A message inside another resident's conversation is left alone and logged.
   */
  private async deleteOrphanMessages(residentId: string, report: DeletionReport): Promise<void> {
    const stray = await this.store.messages.listByResident(residentId, { limit: PAGE * MAX_PAGES });
    for (const conversationId of new Set(stray.map((m) => m.conversationId))) {
      if (await this.store.conversations.get(conversationId)) {
        this.logger?.warn(
          { residentId, conversationId },
          "resident's messages in another resident's conversation were kept",
        );
        continue;
      }
      await this.deleteConversationData(conversationId, report);
    }
  }
}
