/** What residents are told about their tickets: one-line summaries and status-change messages. */
import type { Ticket, TicketStatus } from '../core/ticket-port';
import type { ResidentKey } from '../i18n/locales';
import { tr } from '../i18n/translate';

const STATUS: Record<TicketStatus, ResidentKey> = {
  received: 'resident.ticket.status.received',
  in_progress: 'resident.ticket.status.inProgress',
  resolved: 'resident.ticket.status.resolved',
  rejected: 'resident.ticket.status.rejected',
};

/** Korea-time "YYYY-MM-DD HH:mm". */
export function koreaTime(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The message pushed to the resident when staff change a ticket's status. */
export function statusChangeText(ticket: Ticket, note: string | undefined, language: string): string {
  const lines = [
    tr('resident.ticket.statusChanged', language, {
      reference: ticket.reference,
      status: tr(STATUS[ticket.status], language),
    }),
  ];
  if (note) lines.push(tr('resident.ticket.staffNote', language, { note }));
  return lines.join('\n');
}

/** One line describing a ticket, with its latest staff note if any. */
export function ticketSummary(ticket: Ticket, title: string, language: string): string {
  const lines = [
    tr('resident.ticket.summary', language, {
      reference: ticket.reference,
      title,
      status: tr(STATUS[ticket.status], language),
      created: koreaTime(ticket.createdAt),
      updated: koreaTime(ticket.updatedAt),
    }),
  ];
  const note = [...ticket.history].reverse().find((h) => h.note)?.note;
  if (note) lines.push(tr('resident.ticket.staffNote', language, { note }));
  return lines.join('\n');
}
