/**
 * Creates tickets with day-sequenced references and changes their status, telling the resident on
 * their own channel. References are arbitrated by the store's unique index: a creator that loses
 * a race for a sequence number simply tries the next one.
 */
import type { Conversation } from '../core/conversation';
import { DajeongError } from '../core/errors';
import type { Logger } from '../core/logger-port';
import type { OutboundDraft } from '../core/message';
import type { Store } from '../core/store-port';
import type { NewTicket, Ticket, TicketQuery, TicketStatus } from '../core/ticket-port';
import { formatReference, referencePrefix } from './ticket-reference';
import { statusChangeText } from './ticket-summary';

/** Sends messages into a conversation (the gateway's `send`). */
export type ConversationSender = (conversation: Conversation, drafts: OutboundDraft[]) => Promise<unknown>;

export interface TicketServiceDeps {
  store: Store;
  send: ConversationSender;
  logger: Logger;
  now?: () => Date;
}

const MAX_ATTEMPTS = 50;

export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  /** Stores a new ticket under the next free reference of today (Korea time). */
  async create(input: Omit<NewTicket, 'reference' | 'createdAt'>): Promise<Ticket> {
    const { store } = this.deps;
    const at = this.deps.now?.() ?? new Date();
    const prefix = referencePrefix(at);
    let seq = (await store.tickets.lastSequence(prefix)) + 1;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++, seq++) {
      try {
        const ticket = await store.tickets.create({
          ...input,
          reference: formatReference(at, seq),
          createdAt: at,
        });
        await store.audit.record({
          actor: 'bot',
          action: 'ticket.create',
          subject: ticket.id,
          details: { reference: ticket.reference, category: ticket.category },
        });
        return ticket;
      } catch (err) {
        // Someone else took this number: move on to the next one.
        if (!(err instanceof DajeongError && err.code === 'conflict')) throw err;
      }
    }
    throw new DajeongError('unavailable', 'could not allocate a ticket reference', { retryable: true });
  }

  /** A ticket by its reference (case-insensitive) or id. */
  async find(referenceOrId: string): Promise<Ticket | undefined> {
    const { tickets } = this.deps.store;
    return (await tickets.getByReference(referenceOrId.toUpperCase())) ?? (await tickets.get(referenceOrId));
  }

  list(query: TicketQuery): Promise<Ticket[]> {
    return this.deps.store.tickets.list(query);
  }

  /**
   * Records a status change with an optional note and pushes it to the resident.
   * @throws DajeongError('not_found') for an unknown ticket.
   */
  async changeStatus(
    referenceOrId: string,
    change: { status: TicketStatus; note?: string; actor: string },
  ): Promise<{ ticket: Ticket; notified: boolean }> {
    const ticket = await this.find(referenceOrId);
    if (!ticket) throw new DajeongError('not_found', `ticket ${referenceOrId} not found`);
    const updated = await this.deps.store.tickets.addEvent(ticket.id, {
      at: this.deps.now?.() ?? new Date(),
      status: change.status,
      actor: change.actor,
      ...(change.note && { note: change.note }),
    });
    await this.deps.store.audit.record({
      actor: change.actor,
      action: 'ticket.status',
      subject: ticket.id,
      details: { reference: ticket.reference, from: ticket.status, to: change.status },
    });
    return { ticket: updated, notified: await this.notify(updated, change.note) };
  }

  /**
   * Tells the resident on the channel they reported from. Returns false (and logs) when it could
   * not be stored for delivery, so staff see that the resident was not told.
   */
  private async notify(ticket: Ticket, note: string | undefined): Promise<boolean> {
    const { store, logger } = this.deps;
    try {
      // The report's conversation may be closed by now; a newer open one on the same channel
      // identity is where the resident is looking.
      const conversation =
        (await store.conversations.findOpen(ticket.channel, ticket.externalUserId)) ??
        (await store.conversations.get(ticket.conversationId));
      if (!conversation) {
        logger.warn({ ticket: ticket.reference }, 'no conversation to notify about a ticket status change');
        return false;
      }
      await this.deps.send(conversation, [
        {
          author: 'bot',
          content: { text: statusChangeText(ticket, note, conversation.language || ticket.language) },
        },
      ]);
      return true;
    } catch (err) {
      logger.error(
        { err, ticket: ticket.reference },
        'could not notify the resident of a ticket status change',
      );
      return false;
    }
  }
}
