/** In-memory TicketStore; references are unique like the MongoDB index. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { NewTicket, Ticket, TicketEvent, TicketQuery, TicketStore } from '../../core/ticket-port';
import { clone } from './clone';

export class MemoryTickets implements TicketStore {
  private readonly byId = new Map<string, Ticket>();
  private readonly byReference = new Map<string, string>();

  async create(input: NewTicket): Promise<Ticket> {
    // Checked and inserted without yielding, so concurrent creators see each other.
    if (this.byReference.has(input.reference))
      throw new DajeongError('conflict', `ticket ${input.reference} exists`);
    const at = input.createdAt ?? new Date();
    const ticket: Ticket = {
      ...clone(input),
      id: newId(),
      status: 'received',
      history: [{ at, status: 'received', actor: 'bot' }],
      createdAt: at,
      updatedAt: at,
    };
    this.byId.set(ticket.id, ticket);
    this.byReference.set(ticket.reference, ticket.id);
    return clone(ticket);
  }

  async get(id: string) {
    const t = this.byId.get(id);
    return t ? clone(t) : undefined;
  }

  async getByReference(reference: string) {
    const id = this.byReference.get(reference);
    return id ? this.get(id) : undefined;
  }

  async lastSequence(prefix: string): Promise<number> {
    let max = 0;
    for (const reference of this.byReference.keys()) {
      if (!reference.startsWith(prefix)) continue;
      const n = Number(reference.slice(prefix.length));
      if (Number.isInteger(n) && n > max) max = n;
    }
    return max;
  }

  async list(query: TicketQuery): Promise<Ticket[]> {
    const out = [...this.byId.values()].filter(
      (t) =>
        (!query.status || query.status.includes(t.status)) &&
        (!query.category || t.category === query.category) &&
        (!query.residentId || t.residentId === query.residentId) &&
        (!query.from || t.createdAt >= query.from) &&
        (!query.to || t.createdAt < query.to),
    );
    out.sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.reference.localeCompare(a.reference),
    );
    return clone(out.slice(0, query.limit ?? 100));
  }

  async addEvent(id: string, event: TicketEvent): Promise<Ticket> {
    const t = this.byId.get(id);
    if (!t) throw new DajeongError('not_found', `ticket ${id} not found`);
    t.history.push(clone(event));
    t.status = event.status;
    t.updatedAt = event.at;
    return clone(t);
  }

  async deleteByResident(residentId: string): Promise<number> {
    let n = 0;
    for (const [id, t] of this.byId) {
      if (t.residentId !== residentId) continue;
      this.byId.delete(id);
      this.byReference.delete(t.reference);
      n++;
    }
    return n;
  }

  async deleteFinishedBefore(cutoff: Date): Promise<number> {
    let n = 0;
    for (const [id, t] of this.byId) {
      if ((t.status !== 'resolved' && t.status !== 'rejected') || t.updatedAt >= cutoff) continue;
      this.byId.delete(id);
      this.byReference.delete(t.reference);
      n++;
    }
    return n;
  }
}
