/** audit: append-only events; never deleted by privacy deletion or retention. */
import { Schema } from 'mongoose';
import type { AuditEvent } from '../../core/store-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type AuditDoc = Omit<AuditEvent, 'id'> & { _id: string };

export const auditSchema = new Schema<AuditDoc>(
  {
    _id: requiredString,
    at: { type: Date, required: true },
    actor: requiredString,
    action: requiredString,
    subject: String,
    details: Schema.Types.Mixed,
  },
  BASE_OPTIONS,
);
auditSchema.index({ subject: 1, at: 1 });
auditSchema.index({ actor: 1, at: 1 });
auditSchema.index({ at: 1 });
