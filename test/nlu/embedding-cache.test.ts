import fs from 'node:fs';
import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import path from 'node:path';
import type { Embedder } from '../../src/core/nlu-port';
import { CachingEmbedder } from '../../src/nlu/embedding-cache';

/** A deterministic stand-in encoder that counts what it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly name = 'counting';
  readonly dimension = 4;
  calls: string[][] = [];
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    return texts.map((t) => Float32Array.from([t.length, t.charCodeAt(0), 1, -1]));
  }
}

describe('embedding disk cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('embeds only unseen texts, keyed by model fingerprint, kind and text, across instances', async () => {
    const inner = new CountingEmbedder();
    const first = new CachingEmbedder(inner, dir, 'model-a');
    const a = await first.embed(['버스', 'water', '버스'], 'query');
    expect(inner.calls).toEqual([['버스', 'water']]);
    expect(a[0]).toEqual(a[2]);

    // A new process (new instance) reads the file: nothing to compute.
    const second = new CachingEmbedder(inner, dir, 'model-a');
    const b = await second.embed(['water', '버스'], 'query');
    expect(inner.calls).toHaveLength(1);
    expect(b[0]).toEqual(a[1]);
    expect(second.hits).toBe(2);

    // Another kind or another model is another key.
    await second.embed(['water'], 'passage');
    await new CachingEmbedder(inner, dir, 'model-b').embed(['water'], 'query');
    expect(inner.calls).toEqual([['버스', 'water'], ['water'], ['water']]);
  });

  it('ignores a torn final record after a crash mid-write', async () => {
    const inner = new CountingEmbedder();
    await new CachingEmbedder(inner, dir, 'm').embed(['one', 'two'], 'query');
    const file = path.join(dir, 'm', 'query-4.bin');
    fs.appendFileSync(file, Buffer.alloc(10, 7));
    const again = new CachingEmbedder(inner, dir, 'm');
    const [one] = await again.embed(['one'], 'query');
    expect(Array.from(one!)).toEqual([3, 'o'.charCodeAt(0), 1, -1]);
    expect(inner.calls).toHaveLength(1);
  });

  it('gives bulk rows in one own array that can move to a thread without emptying the cache', async () => {
    const inner = new CountingEmbedder();
    const cache = new CachingEmbedder(inner, dir, 'm');
    await cache.embed(['버스'], 'query');
    const rows = await cache.embedRows(['water', '버스', 'water', 'bus'], 'query');
    expect(inner.calls).toEqual([['버스'], ['water', 'bus']]);
    expect(Array.from(rows)).toEqual([
      ...[5, 'w'.charCodeAt(0), 1, -1],
      ...[2, '버'.charCodeAt(0), 1, -1],
      ...[5, 'w'.charCodeAt(0), 1, -1],
      ...[3, 'b'.charCodeAt(0), 1, -1],
    ]);
    expect(rows.byteOffset).toBe(0);
    expect(rows.buffer.byteLength).toBe(rows.byteLength);

    // Moving the rows away (as to the training thread) leaves the cache's own copies intact.
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(rows, [rows.buffer as ArrayBuffer]);
    port1.close();
    port2.close();
    expect(rows.length).toBe(0);
    const again = await cache.embedRows(['bus', '버스'], 'query');
    expect(Array.from(again)).toEqual([...[3, 'b'.charCodeAt(0), 1, -1], ...[2, '버'.charCodeAt(0), 1, -1]]);
    expect(inner.calls).toHaveLength(2);
  });
});
