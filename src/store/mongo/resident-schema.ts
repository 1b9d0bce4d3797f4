/** residents + identities: identities live in their own collection so a resident has no unbounded array. */
import { Schema } from 'mongoose';
import type { ChannelIdentity, Resident } from '../../core/conversation';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type ResidentDoc = Omit<Resident, 'id' | 'identities'> & { _id: string };

/** One channel identity; the unique index makes "who owns this identity" race-free. */
export type IdentityDoc = ChannelIdentity & { _id: string; residentId: string; linkedAt: Date };

export const residentSchema = new Schema<ResidentDoc>(
  {
    _id: requiredString,
    displayName: String,
    locale: String,
    createdAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);

export const identitySchema = new Schema<IdentityDoc>(
  {
    _id: requiredString,
    residentId: requiredString,
    channel: requiredString,
    externalUserId: requiredString,
    linkedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
identitySchema.index({ channel: 1, externalUserId: 1 }, { unique: true });
identitySchema.index({ residentId: 1, linkedAt: 1 });
