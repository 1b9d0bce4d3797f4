/**
 * On-disk cache of text embeddings, keyed by model fingerprint, prefix kind and text, so retraining
 * after an intent edit (or re-running an evaluation) only embeds the texts that are new.
 *
 * Layout: `<dir>/<fingerprint>/<kind>-<dimension>.bin`, an append-only run of records
 * `[sha256(text) 32 bytes][dimension float32 LE]`. A torn final record (crash mid-write) is ignored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../core/nlu-port';
import { yieldToLoop } from '../jobs/yield-to-loop';
import { floatsFromBytes } from './float-codec';

type Kind = 'query' | 'passage';

const keyOf = (text: string) => crypto.createHash('sha256').update(text).digest();

/** Texts hashed per event-loop turn (a few ms). */
const HASH_CHUNK = 250;

class CacheFile {
  private readonly entries = new Map<string, Float32Array>();
  private readonly recordBytes: number;

  constructor(
    private readonly file: string,
    private readonly dimension: number,
  ) {
    this.recordBytes = 32 + dimension * 4;
    if (!fs.existsSync(file)) return;
    const buffer = fs.readFileSync(file);
    const records = Math.floor(buffer.length / this.recordBytes);
    if (records * this.recordBytes !== buffer.length) {
      // A torn record at the end: cut it off, or every record appended after it would be misaligned.
      try {
        fs.truncateSync(file, records * this.recordBytes);
      } catch {
        // Read-only: nothing will be appended either.
      }
    }
    for (let r = 0; r < records; r++) {
      const offset = r * this.recordBytes;
      const key = buffer.subarray(offset, offset + 32).toString('hex');
      this.entries.set(key, floatsFromBytes(buffer.subarray(offset + 32, offset + this.recordBytes)));
    }
  }

  get(key: string): Float32Array | undefined {
    return this.entries.get(key);
  }

  /** Appends in one write, so concurrent processes interleave whole records only. */
  add(items: { key: Buffer; vector: Float32Array }[]): void {
    if (items.length === 0) return;
    const out = Buffer.alloc(items.length * this.recordBytes);
    items.forEach(({ key, vector }, r) => {
      const offset = r * this.recordBytes;
      key.copy(out, offset);
      for (let i = 0; i < this.dimension; i++) out.writeFloatLE(vector[i] ?? 0, offset + 32 + i * 4);
      this.entries.set(key.toString('hex'), vector);
    });
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
  private readonly files = new Map<Kind, CacheFile>();
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

  private file(kind: Kind): CacheFile {
    let file = this.files.get(kind);
    if (!file) {
      file = new CacheFile(
        path.join(this.dir, this.fingerprint, `${kind}-${this.dimension}.bin`),
        this.dimension,
      );
      this.files.set(kind, file);
    }
    return file;
  }

  async embed(texts: string[], kind: Kind): Promise<Float32Array[]> {
    const file = this.file(kind);
    const out: (Float32Array | undefined)[] = [];
    for (let i = 0; i < texts.length; i += HASH_CHUNK) {
      // Thousands of training texts hash for tens of ms: let the event loop breathe in between.
      if (i > 0) await yieldToLoop();
      for (const text of texts.slice(i, i + HASH_CHUNK)) out.push(file.get(keyOf(text).toString('hex')));
    }
    const missing = [...new Set(texts.filter((_, i) => !out[i]))];
    this.hits += texts.length - out.filter((v) => !v).length;
    if (missing.length > 0) {
      const vectors = await this.inner.embed(missing, kind);
      this.misses += missing.length;
      const items = missing.map((text, i) => ({ key: keyOf(text), vector: vectors[i]! }));
      try {
        file.add(items);
      } catch {
        // A read-only disk only costs speed: keep going with the computed vectors.
      }
      const fresh = new Map(missing.map((text, i) => [text, vectors[i]!]));
      texts.forEach((text, i) => (out[i] ??= fresh.get(text)));
    }
    return out as Float32Array[];
  }
}
