import { MessageChannel } from 'node:worker_threads';
import { transferablesOf } from '../../src/jobs/transferables';

describe('transferablesOf', () => {
  it('finds each buffer behind typed arrays once, however deep, and nothing else', () => {
    const shared = new Float32Array(8);
    const own = new Uint32Array(4);
    const result = {
      name: 'index',
      rows: [shared.subarray(0, 4), shared.subarray(4, 8)],
      nested: { deeper: { postings: own, texts: ['a', 'b'] } },
      plain: [1, 2, 3],
    };
    const buffers = transferablesOf(result);
    expect(buffers).toHaveLength(2);
    expect(buffers).toEqual(expect.arrayContaining([shared.buffer, own.buffer]));
  });

  it('leaves shared memory out (it cannot be transferred)', () => {
    const view = new Int32Array(new SharedArrayBuffer(16));
    expect(transferablesOf({ view })).toEqual([]);
  });

  it('moves the found buffers through postMessage without copying', async () => {
    const vectors = new Float32Array([1, 2, 3]);
    const result = { vectors };
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<{ vectors: Float32Array }>((resolve) => port2.once('message', resolve));
    port1.postMessage(result, transferablesOf(result));
    expect(vectors.length).toBe(0); // Detached on the sending side.
    expect(Array.from((await received).vectors)).toEqual([1, 2, 3]);
    port1.close();
    port2.close();
  });
});
