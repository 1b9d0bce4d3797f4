/**
 * Collections of the counselor workspace: media (metadata) with mediaChunks (the bytes, at most
 * CHUNK_BYTES each, so no document nears the 16 MB limit) and cannedAnswers.
 */
import { Schema } from 'mongoose';
import type { CannedAnswerRecord } from '../../core/canned-port';
import type { StoredMedia } from '../../core/media-port';
import { BASE_OPTIONS, requiredString } from './schema-options';

/** Bytes per chunk document (GridFS's default size). */
export const CHUNK_BYTES = 255 * 1024;

export type MediaDoc = Omit<StoredMedia, 'id'> & { _id: string; chunks: number };
export const MEDIA_INTERNAL_KEYS = ['chunks'] as const;

export const mediaSchema = new Schema<MediaDoc>(
  {
    _id: requiredString,
    key: requiredString,
    conversationId: requiredString,
    residentId: requiredString,
    mimeType: requiredString,
    size: { type: Number, required: true, min: 0 },
    chunks: { type: Number, required: true, min: 0 },
    source: { type: String, required: true, enum: ['resident', 'counselor', 'channel'] },
    uploadedBy: String,
    createdAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
mediaSchema.index({ key: 1 }, { unique: true }); // retried uploads store once, decided by insert
mediaSchema.index({ conversationId: 1 }); // retention and privacy deletion

export interface MediaChunkDoc {
  /** `<upload id>:<n>`: the upload's own id, so a losing concurrent upload removes only its chunks. */
  _id: string;
  uploadId: string;
  n: number;
  data: Buffer;
}

export const mediaChunkSchema = new Schema<MediaChunkDoc>(
  {
    _id: requiredString,
    uploadId: requiredString,
    n: { type: Number, required: true, min: 0 },
    data: { type: Buffer, required: true },
  },
  BASE_OPTIONS,
);
mediaChunkSchema.index({ uploadId: 1, n: 1 });

export type CannedAnswerDoc = Omit<CannedAnswerRecord, 'id'> & { _id: string };

export const cannedAnswerSchema = new Schema<CannedAnswerDoc>(
  {
    _id: requiredString,
    scope: { type: String, required: true, enum: ['personal', 'team'] },
    ownerId: requiredString,
    team: String,
    title: requiredString,
    text: requiredString,
    language: requiredString,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  BASE_OPTIONS,
);
cannedAnswerSchema.index({ ownerId: 1, scope: 1 });
cannedAnswerSchema.index({ team: 1, scope: 1 });
