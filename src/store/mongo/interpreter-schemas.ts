/**
 * Collections of interpreters in chats: interpreterSessions (`_id` = `interp:<conversationId>:<handoffSeq>:<interpreterId>`,
 * so an invitation is stored once, decided by the insert) and interpreterClaims (`_id` = the claim
 * key: one join and one leave per invitation, one suggestion per episode).
 */
import { Schema } from 'mongoose';
import { INTERPRETER_SESSION_STATUSES, type InterpreterSession } from '../../core/interpreter-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

export type InterpreterSessionDoc = Omit<InterpreterSession, 'id'> & { _id: string };

export const interpreterSessionSchema = new Schema<InterpreterSessionDoc>(
  {
    _id: requiredString,
    conversationId: requiredString,
    handoffSeq: { type: Number, required: true, min: 0 },
    interpreterId: requiredString,
    language: requiredString,
    invitedBy: requiredString,
    invitedAt: { type: Date, required: true },
    status: { type: String, required: true, enum: [...INTERPRETER_SESSION_STATUSES] },
    joinedAt: Date,
    joinedAfterSeq: { type: Number, min: 0 },
    leftAt: Date,
    leftBy: String,
  },
  BASE_OPTIONS,
);
interpreterSessionSchema.index({ conversationId: 1, invitedAt: 1 }); // a chat's interpreters
interpreterSessionSchema.index({ interpreterId: 1, status: 1, invitedAt: -1 }); // an interpreter's invitations

export interface InterpreterClaimDoc {
  _id: string;
  conversationId: string;
  by: string;
  at: Date;
}

export const interpreterClaimSchema = new Schema<InterpreterClaimDoc>(
  { _id: requiredString, conversationId: requiredString, by: requiredString, at: { type: Date, required: true } },
  BASE_OPTIONS,
);
interpreterClaimSchema.index({ conversationId: 1 });
