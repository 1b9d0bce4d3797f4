/** Civil-complaint tickets created by guided report flows and worked by staff. */
import type { ImageRef } from './message';

export const TICKET_STATUSES = ['received', 'in_progress', 'resolved', 'rejected'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** One status change; the first event is the creation. */
export interface TicketEvent {
  at: Date;
  status: TicketStatus;
  /** Note for the resident (sent with the change). */
  note?: string;
  /** 'bot' for the creation, otherwise the staff member. */
  actor: string;
}

/** Where the problem is: a shared map point, a typed address, or both. */
export interface TicketLocation {
  latitude?: number;
  longitude?: number;
  address?: string;
}

export interface Ticket {
  id: string;
  /** Human-readable reference, `GG-YYYYMMDD-NNNN` (Korea date, sequence per day). */
  reference: string;
  /** What was reported: the flow name, e.g. 'road_damage_report'. */
  category: string;
  status: TicketStatus;
  residentId: string;
  /** Conversation the report was made in; status changes are pushed to the resident there. */
  conversationId: string;
  channel: string;
  externalUserId: string;
  language: string;
  location?: TicketLocation;
  description: string;
  photos: ImageRef[];
  history: TicketEvent[];
  createdAt: Date;
  updatedAt: Date;
}

export type NewTicket = Omit<Ticket, 'id' | 'status' | 'history' | 'createdAt' | 'updatedAt'> & {
  createdAt?: Date;
};

export interface TicketQuery {
  status?: TicketStatus[];
  category?: string;
  residentId?: string;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
  limit?: number;
}

export interface TicketStore {
  /**
   * Inserts a ticket in status 'received'. References are unique: a second insert of the same
   * reference rejects with 'conflict', which is how concurrent creators agree on a sequence.
   */
  create(input: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | undefined>;
  getByReference(reference: string): Promise<Ticket | undefined>;
  /** Highest sequence used by references starting with `prefix` (e.g. 'GG-20261127-'), 0 if none. */
  lastSequence(prefix: string): Promise<number>;
  /** Matching tickets, newest first. */
  list(query: TicketQuery): Promise<Ticket[]>;
  /** Sets the status and appends the event; rejects with 'not_found' for an unknown id. */
  addEvent(id: string, event: TicketEvent): Promise<Ticket>;
  /** Privacy deletion. */
  deleteByResident(residentId: string): Promise<number>;
  /** Retention: deletes resolved and rejected tickets last changed before the cutoff; returns how many. */
  deleteFinishedBefore(cutoff: Date): Promise<number>;
}
