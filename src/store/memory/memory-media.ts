/** MediaStore in memory (embedded store and tests); behaves like the MongoDB one. */
import { newId } from '../../core/ids';
import type { MediaStore, NewMedia, StoredMedia } from '../../core/media-port';
import { clone } from './clone';

export class MemoryMedia implements MediaStore {
  private readonly byId = new Map<string, { media: StoredMedia; bytes: Buffer }>();
  private readonly byKey = new Map<string, string>();

  async put(input: NewMedia): Promise<{ media: StoredMedia; inserted: boolean }> {
    const existing = this.byKey.get(input.key);
    if (existing) return { media: clone(this.byId.get(existing)!.media), inserted: false };
    const { bytes, ...rest } = input;
    const media: StoredMedia = { ...rest, id: newId(), size: bytes.length, createdAt: new Date() };
    this.byId.set(media.id, { media, bytes: Buffer.from(bytes) });
    this.byKey.set(media.key, media.id);
    return { media: clone(media), inserted: true };
  }

  async get(id: string) {
    const found = this.byId.get(id);
    return found ? clone(found.media) : undefined;
  }

  async findByKey(key: string) {
    const id = this.byKey.get(key);
    return id ? this.get(id) : undefined;
  }

  async read(id: string) {
    const found = this.byId.get(id);
    return found ? Buffer.from(found.bytes) : undefined;
  }

  async deleteByConversation(conversationId: string) {
    let count = 0;
    for (const [id, { media }] of this.byId) {
      if (media.conversationId !== conversationId) continue;
      this.byId.delete(id);
      this.byKey.delete(media.key);
      count++;
    }
    return count;
  }
}
