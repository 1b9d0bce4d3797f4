/** AuditStore on MongoDB: append-only. */
import { newId } from '../../core/ids';
import type { AuditEvent, AuditStore } from '../../core/store-port';
import type { AuditDoc } from './audit-schema';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toEvent = (doc: AuditDoc) => fromDoc<AuditEvent>(doc);

export class MongoAudit implements AuditStore {
  constructor(private readonly m: Pick<Models, 'audit'>) {}

  async record(event: Omit<AuditEvent, 'id' | 'at'> & { at?: Date }): Promise<AuditEvent> {
    const doc: AuditDoc = defined({
      _id: newId(),
      at: event.at ?? new Date(),
      actor: event.actor,
      action: event.action,
      subject: event.subject,
      details: event.details,
    });
    const created = await this.m.audit.create(doc);
    return toEvent(created.toObject<AuditDoc>());
  }

  /** The newest `limit` matching events, oldest first (as the memory store returns them). */
  async list(query: { subject?: string; actor?: string; limit?: number }): Promise<AuditEvent[]> {
    const docs = await this.m.audit
      .find(defined({ subject: query.subject, actor: query.actor }))
      .sort({ at: -1, _id: -1 })
      .limit(query.limit ?? 1000)
      .lean<AuditDoc[]>();
    return docs.reverse().map(toEvent);
  }
}
