/** TicketStore on MongoDB; the unique reference index decides which creator gets a sequence. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { NewTicket, Ticket, TicketEvent, TicketQuery, TicketStore } from '../../core/ticket-port';
import { isDuplicateKey } from './errors';
import { TICKET_INTERNAL_KEYS, type TicketDoc } from './knowledge-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toTicket = (doc: TicketDoc) => fromDoc<Ticket>(doc, TICKET_INTERNAL_KEYS);
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The trailing number of a reference such as GG-20261127-0042. */
function seqOf(reference: string): number {
  const n = Number(/(\d+)$/.exec(reference)?.[1] ?? '0');
  return n > 0 ? n : 1;
}

/** Statuses after which a ticket only waits for retention. */
const FINISHED = ['resolved', 'rejected'] as const;

export class MongoTickets implements TicketStore {
  constructor(private readonly m: Pick<Models, 'tickets'>) {}

  async create(input: NewTicket): Promise<Ticket> {
    const at = input.createdAt ?? new Date();
    const doc: TicketDoc = {
      ...defined(input),
      _id: newId(),
      seq: seqOf(input.reference),
      status: 'received',
      history: [{ at, status: 'received', actor: 'bot' }],
      createdAt: at,
      updatedAt: at,
    };
    try {
      const created = await this.m.tickets.create(doc);
      return toTicket(created.toObject<TicketDoc>());
    } catch (err) {
      throw isDuplicateKey(err) ? new DajeongError('conflict', `ticket ${input.reference} exists`) : err;
    }
  }

  async get(id: string) {
    const doc = await this.m.tickets.findById(id).lean<TicketDoc>();
    return doc ? toTicket(doc) : undefined;
  }

  async getByReference(reference: string) {
    const doc = await this.m.tickets.findOne({ reference }).lean<TicketDoc>();
    return doc ? toTicket(doc) : undefined;
  }

  async lastSequence(prefix: string): Promise<number> {
    const doc = await this.m.tickets
      .findOne({ reference: { $regex: `^${escapeRegex(prefix)}` } })
      .sort({ seq: -1 })
      .lean<TicketDoc>();
    return doc?.seq ?? 0;
  }

  async list(query: TicketQuery): Promise<Ticket[]> {
    const filter: Record<string, unknown> = defined({
      status: query.status ? { $in: query.status } : undefined,
      category: query.category,
      residentId: query.residentId,
    });
    if (query.from || query.to) filter['createdAt'] = defined({ $gte: query.from, $lt: query.to });
    const docs = await this.m.tickets
      .find(filter)
      .sort({ createdAt: -1, reference: -1 })
      .limit(query.limit ?? 100)
      .lean<TicketDoc[]>();
    return docs.map(toTicket);
  }

  async addEvent(id: string, event: TicketEvent): Promise<Ticket> {
    const doc = await this.m.tickets
      .findOneAndUpdate(
        { _id: id },
        { $set: { status: event.status, updatedAt: event.at }, $push: { history: defined(event) } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<TicketDoc>();
    if (!doc) throw new DajeongError('not_found', `ticket ${id} not found`);
    return toTicket(doc);
  }

  async deleteByResident(residentId: string): Promise<number> {
    const result = await this.m.tickets.deleteMany({ residentId });
    return result.deletedCount ?? 0;
  }

  async deleteFinishedBefore(cutoff: Date): Promise<number> {
    const result = await this.m.tickets.deleteMany({ status: { $in: [...FINISHED] }, updatedAt: { $lt: cutoff } });
    return result.deletedCount ?? 0;
  }
}
