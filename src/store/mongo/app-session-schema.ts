/** appSessions: keyed by the token hash, so a lookup is one _id read and a duplicate is E11000. */
import { Schema } from 'mongoose';
import type { AppSession } from '../../core/store-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type AppSessionDoc = Omit<AppSession, 'tokenHash'> & { _id: string };

export const appSessionSchema = new Schema<AppSessionDoc>(
  {
    _id: requiredString,
    residentId: requiredString,
    conversationId: requiredString,
    deviceId: requiredString,
    createdAt: { type: Date, required: true },
    lastSeenAt: Date,
  },
  BASE_OPTIONS,
);
appSessionSchema.index({ residentId: 1 });
appSessionSchema.index({ lastSeenAt: 1 }); // idle expiry
appSessionSchema.index({ createdAt: 1 }); // idle expiry of sessions never used
