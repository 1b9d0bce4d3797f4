/**
 * MediaStore on MongoDB: chunks first (under the upload's own id), then the metadata record, whose
 * unique `key` decides a race between two uploads of the same thing; the loser removes its chunks.
 * A record exists only once all its chunks do, so a reader never sees half a photo.
 */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { MediaStore, NewMedia, StoredMedia } from '../../core/media-port';
import { isDuplicateKey } from './errors';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';
import { CHUNK_BYTES, MEDIA_INTERNAL_KEYS, type MediaChunkDoc, type MediaDoc } from './workspace-schemas';

const toMedia = (doc: MediaDoc) => fromDoc<StoredMedia>(doc, MEDIA_INTERNAL_KEYS);

export class MongoMedia implements MediaStore {
  constructor(private readonly m: Pick<Models, 'media' | 'mediaChunks'>) {}

  async put(input: NewMedia): Promise<{ media: StoredMedia; inserted: boolean }> {
    const existing = await this.findByKey(input.key);
    if (existing) return { media: existing, inserted: false };
    const { bytes, ...rest } = input;
    const id = newId();
    const chunks: MediaChunkDoc[] = [];
    for (let n = 0, at = 0; at < bytes.length; n++, at += CHUNK_BYTES) {
      chunks.push({ _id: `${id}:${n}`, uploadId: id, n, data: bytes.subarray(at, at + CHUNK_BYTES) });
    }
    // One insert per chunk keeps every request far below the wire protocol's message size.
    for (const chunk of chunks) await this.m.mediaChunks.create(chunk);
    try {
      const created = await this.m.media.create(defined({ ...rest, _id: id, size: bytes.length, chunks: chunks.length, createdAt: new Date() }));
      return { media: toMedia(created.toObject<MediaDoc>()), inserted: true };
    } catch (err) {
      await this.m.mediaChunks.deleteMany({ uploadId: id });
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.findByKey(input.key);
      if (!winner) throw new DajeongError('conflict', `media ${input.key} was stored and removed concurrently`, { retryable: true });
      return { media: winner, inserted: false };
    }
  }

  async get(id: string) {
    const doc = await this.m.media.findById(id).lean<MediaDoc>();
    return doc ? toMedia(doc) : undefined;
  }

  async findByKey(key: string) {
    const doc = await this.m.media.findOne({ key }).lean<MediaDoc>();
    return doc ? toMedia(doc) : undefined;
  }

  async read(id: string) {
    const doc = await this.m.media.findById(id).lean<MediaDoc>();
    if (!doc) return undefined;
    const parts: Buffer[] = [];
    // Chunk by chunk, so memory holds one chunk document at a time besides the result.
    for (let n = 0; n < doc.chunks; n++) {
      const chunk = await this.m.mediaChunks.findById(`${id}:${n}`).lean<MediaChunkDoc>();
      if (!chunk) throw new DajeongError('internal', `media ${id} is missing chunk ${n}`);
      parts.push(Buffer.from(chunk.data.buffer ?? chunk.data));
    }
    return Buffer.concat(parts);
  }

  async deleteByConversation(conversationId: string) {
    const docs = await this.m.media.find({ conversationId }).select({ _id: 1 }).lean<Pick<MediaDoc, '_id'>[]>();
    for (const d of docs) {
      await this.m.media.deleteOne({ _id: d._id });
      await this.m.mediaChunks.deleteMany({ uploadId: d._id });
    }
    return docs.length;
  }
}
