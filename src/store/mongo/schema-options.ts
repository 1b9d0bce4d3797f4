import type { SchemaOptions } from 'mongoose';

/**
 * Options shared by every schema: no version key (we never rely on optimistic concurrency,
 * FerretDB would not apply it atomically anyway), unknown fields throw instead of being dropped
 * silently, empty objects (e.g. `slots: {}`) are kept, and indexes are created explicitly at connect.
 */
export const BASE_OPTIONS = {
  versionKey: false,
  strict: 'throw',
  minimize: false,
  autoIndex: false,
  id: false,
} as const satisfies SchemaOptions;

/** Options for embedded objects: no own `_id`, same strictness. */
export const EMBEDDED_OPTIONS = {
  _id: false,
  strict: 'throw',
  minimize: false,
  id: false,
} as const satisfies SchemaOptions;

/** Required string field; ids are our own time-ordered strings, not ObjectIds. */
export const requiredString = { type: String, required: true } as const;
