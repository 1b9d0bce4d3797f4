/**
 * Photos and other media sent by residents, counselors or fetched from a platform, stored apart from
 * messages: a message refers to one as `media:<id>` in an image URL, never carries the bytes. The
 * MongoDB implementation keeps the bytes in chunk documents, so no record approaches the 16 MB
 * document limit and a read streams chunk by chunk.
 */

/** Image types accepted from residents and counselors. */
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** How a message's image URL refers to a stored media record. */
export const MEDIA_REF_PREFIX = 'media:';

/** The media id in a `media:<id>` image URL, or undefined for any other URL. */
export function mediaIdOf(url: string): string | undefined {
  return url.startsWith(MEDIA_REF_PREFIX) ? url.slice(MEDIA_REF_PREFIX.length) || undefined : undefined;
}

export interface StoredMedia {
  id: string;
  /**
   * Dedupe key: a retried upload (same resident and client message id) or a platform file fetched
   * twice stores one record. Unique; decided by insert.
   */
  key: string;
  conversationId: string;
  residentId: string;
  mimeType: string;
  size: number;
  /** Who sent it: 'resident', 'counselor' (with the user id) or 'channel' (a platform file cache). */
  source: 'resident' | 'counselor' | 'channel';
  uploadedBy?: string;
  createdAt: Date;
}

export type NewMedia = Omit<StoredMedia, 'id' | 'size' | 'createdAt'> & { bytes: Buffer };

export interface MediaStore {
  /**
   * Stores bytes under `key`; when the key exists already (a retry, or a concurrent writer won) the
   * existing record is returned with `inserted: false` and the new bytes are discarded.
   */
  put(input: NewMedia): Promise<{ media: StoredMedia; inserted: boolean }>;
  get(id: string): Promise<StoredMedia | undefined>;
  findByKey(key: string): Promise<StoredMedia | undefined>;
  /** The bytes of a complete record, or undefined when unknown. */
  read(id: string): Promise<Buffer | undefined>;
  /** Removes every record of a conversation (retention, privacy deletion); returns how many. */
  deleteByConversation(conversationId: string): Promise<number>;
}

/**
 * The image type of `bytes` read from its first bytes (never trusted from a header or file name),
 * or undefined when it is none of MEDIA_TYPES.
 */
export function sniffImageType(bytes: Uint8Array): MediaType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  // RIFF....WEBP
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return undefined;
}
