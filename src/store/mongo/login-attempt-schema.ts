/** loginAttempts: one document per console sign-in attempt, so concurrent attempts are all counted. */
import { Schema } from 'mongoose';
import type { LoginAttempt } from '../../core/login-attempt-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type LoginAttemptDoc = Omit<LoginAttempt, 'id'> & { _id: string };

export const loginAttemptSchema = new Schema<LoginAttemptDoc>(
  {
    _id: requiredString,
    login: requiredString,
    address: requiredString,
    at: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
loginAttemptSchema.index({ login: 1, at: -1 }); // the throttle's look-back
loginAttemptSchema.index({ at: 1 }); // retention
