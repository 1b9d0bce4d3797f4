/**
 * On-disk cache of text embeddings, keyed by model fingerprint, prefix kind and text, so retraining
 * after an intent edit (or re-running an evaluation) only embeds the texts that are new.
 *
 * Layout: `<dir>/<fingerprint>/<kind>-<dimension>.bin`, an append-only run of records
 * `[sha256(text) 32 bytes][dimension float32 LE]`. A torn final record (crash mid-write) is ignored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embedAsRows, type Embedder } from '../core/nlu-port';
import { yieldToLoop } from '../jobs/yield-to-loop';
import { floatsFromBytes } from './float-codec';

type Kind = 'query' | 'passage';

const keyOf = (text: string) => crypto.createHash('sha256').update(text).digest();

/** Texts hashed per event-loop turn (a few ms). */
const HASH_CHUNK = 250;

/** Records of a cache file indexed per event-loop turn (a few ms). */
const INDEX_CHUNK = 500;

/** Records hold little-endian floats; on such a host a record's floats are viewed in place. */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/**
 * One cache file in memory. Vectors are views into the buffers the records were read or written
 * in (one per file read and one per append), not an array and a buffer of their own each: thousands
 * of small buffers that live as long as the process gave the main heap's garbage collector long
 * pauses (issue 15).
 */
class CacheFile {
  private readonly entries = new Map<string, Float32Array>();
  private readonly recordBytes: number;

  private constructor(
    private readonly file: string,
    private readonly dimension: number,
  ) {
    this.recordBytes = 32 + dimension * 4;
  }

  /**
   * Reads the file (off the event loop) and indexes its records a slice per event-loop turn: the
   * training data's file holds thousands of records, 50-90 ms of indexing in one turn.
   */
  static async open(file: string, dimension: number): Promise<CacheFile> {
    const cache = new CacheFile(file, dimension);
    let read: Buffer;
    try {
      read = await fs.promises.readFile(file);
    } catch {
      return cache; // No file yet.
    }
    const records = Math.floor(read.length / cache.recordBytes);
    if (records * cache.recordBytes !== read.length) {
      // A torn record at the end: cut it off, or every record appended after it would be misaligned.
      try {
        fs.truncateSync(file, records * cache.recordBytes);
      } catch {
        // Read-only: nothing will be appended either.
      }
    }
    // Float views need a 4-byte aligned start; record and key sizes are multiples of 4.
    const bytes = read.byteOffset % 4 === 0 ? read : new Uint8Array(read);
    for (let r = 0; r < records; r += INDEX_CHUNK) {
      if (r > 0) await yieldToLoop();
      const end = Math.min(records, r + INDEX_CHUNK);
      cache.index(bytes.subarray(r * cache.recordBytes, end * cache.recordBytes));
    }
    return cache;
  }

  /** Registers the records of `bytes` (whole records), viewing their floats where they lie. */
  private index(bytes: Uint8Array): void {
    // Float views need a 4-byte aligned start; record and key sizes are multiples of 4.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    const records = aligned.length / this.recordBytes;
    for (let r = 0; r < records; r++) {
      const offset = r * this.recordBytes;
      const key = Buffer.from(aligned.buffer, aligned.byteOffset + offset, 32).toString('hex');
      const floats = aligned.subarray(offset + 32, offset + this.recordBytes);
      this.entries.set(
        key,
        LITTLE_ENDIAN
          ? new Float32Array(floats.buffer, floats.byteOffset, this.dimension)
          : floatsFromBytes(floats),
      );
    }
  }

  get(key: string): Float32Array | undefined {
    return this.entries.get(key);
  }

  /** Appends rows (`rows[i]` belongs to `keys[i]`) in one write, so concurrent processes interleave whole records only. */
  add(keys: Buffer[], rows: Float32Array): void {
    if (keys.length === 0) return;
    const out = Buffer.alloc(keys.length * this.recordBytes);
    const rowBytes = this.dimension * 4;
    keys.forEach((key, r) => {
      const offset = r * this.recordBytes;
      key.copy(out, offset);
      if (LITTLE_ENDIAN) {
        out.set(new Uint8Array(rows.buffer, rows.byteOffset + r * rowBytes, rowBytes), offset + 32);
      } else {
        for (let i = 0; i < this.dimension; i++)
          out.writeFloatLE(rows[r * this.dimension + i] ?? 0, offset + 32 + i * 4);
      }
    });
    // Indexed from our own copy: `rows` goes back to the caller, who may move it to another thread.
    this.index(out);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, out);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** An Embedder that answers from the disk cache and embeds (then stores) only unseen texts. */
export class CachingEmbedder implements Embedder {
  readonly name: string;
  readonly dimension: number;
  private readonly files = new Map<Kind, Promise<CacheFile>>();
  /** Texts answered from the cache / computed, since creation (for logs and benchmarks). */
  hits = 0;
  misses = 0;

  /**
   * @param inner the real encoder
   * @param dir cache root (e.g. `.cache/embeddings`)
   * @param fingerprint identity of the model weights (ModelLocation.fingerprint)
   */
  constructor(
    private readonly inner: Embedder,
    private readonly dir: string,
    private readonly fingerprint: string,
  ) {
    this.name = inner.name;
    this.dimension = inner.dimension;
  }

  private file(kind: Kind): Promise<CacheFile> {
    let file = this.files.get(kind);
    if (!file) {
      file = CacheFile.open(path.join(this.dir, this.fingerprint, `${kind}-${this.dimension}.bin`), this.dimension);
      this.files.set(kind, file);
    }
    return file;
  }

  async embed(texts: string[], kind: Kind): Promise<Float32Array[]> {
    const rows = await this.embedRows(texts, kind);
    const d = this.dimension;
    return texts.map((_, i) => rows.subarray(i * d, (i + 1) * d));
  }

  /** The rows of `texts` in one new array (the caller's to keep or transfer): cached rows copied, the rest embedded. */
  async embedRows(texts: string[], kind: Kind): Promise<Float32Array> {
    const file = await this.file(kind);
    const d = this.dimension;
    const out = new Float32Array(texts.length * d);
    /** Unseen texts (once each), with their key and the rows they fill. */
    const missing = new Map<string, { key: Buffer; rows: number[] }>();
    for (let i = 0; i < texts.length; i += HASH_CHUNK) {
      // Thousands of training texts hash for tens of ms: let the event loop breathe in between.
      if (i > 0) await yieldToLoop();
      const end = Math.min(texts.length, i + HASH_CHUNK);
      for (let row = i; row < end; row++) {
        const text = texts[row]!;
        const seen = missing.get(text);
        if (seen) {
          seen.rows.push(row);
          continue;
        }
        const key = keyOf(text);
        const vector = file.get(key.toString('hex'));
        if (vector) out.set(vector, row * d);
        else missing.set(text, { key, rows: [row] });
      }
    }
    const unseen = [...missing.keys()];
    this.hits += texts.length - [...missing.values()].reduce((n, m) => n + m.rows.length, 0);
    if (unseen.length === 0) return out;
    const computed = await embedAsRows(this.inner, unseen, kind);
    this.misses += unseen.length;
    let i = 0;
    for (const { rows } of missing.values()) {
      const vector = computed.subarray(i * d, (i + 1) * d);
      for (const row of rows) out.set(vector, row * d);
      i++;
    }
    try {
      file.add(
        [...missing.values()].map((m) => m.key),
        computed,
      );
    } catch {
      // A read-only disk only costs speed: keep going with the computed vectors.
    }
    return out;
  }
}
