/**
 * The start-up warm-up runs every lexicon pattern and every per-message call once, in slices,
 * without leaving a trace: a global pattern keeps its position, a failing call is ignored, and a
 * closing service stops it between slices.
 */
import { warmUp, warmUpSamples } from '../../src/nlu/nlu-warm-up';

describe('NLU warm-up', () => {
  it('tests every pattern on one-byte and two-byte text and makes every call on every sample', async () => {
    const seen: string[] = [];
    const spy = (source: string) => {
      const re = new RegExp(source, 'iu');
      const test = re.test.bind(re);
      re.test = (s: string) => {
        seen.push(`${source}:${[...s].some((ch) => ch.charCodeAt(0) > 0xff) ? 'two-byte' : 'one-byte'}`);
        return test(s);
      };
      return re;
    };
    const calls: string[] = [];
    const report = await warmUp({
      patterns: [[spy('a'), spy('b')], [spy('c')]],
      samples: ['안녕하세요', 'hello'],
      calls: [(t) => calls.push(`detect ${t}`), async (t) => calls.push(`classify ${t}`)],
    });
    for (const source of ['a', 'b', 'c'])
      for (const kind of ['one-byte', 'two-byte'])
        expect(seen.filter((s) => s === `${source}:${kind}`)).toHaveLength(2);
    expect(calls).toEqual(['detect 안녕하세요', 'classify 안녕하세요', 'detect hello', 'classify hello']);
    expect(report).toMatchObject({ patterns: 3, calls: 4 });
  });

  it('puts a global pattern back where it was and goes on after a failing call', async () => {
    const global = /u/g;
    global.lastIndex = 3;
    const calls: string[] = [];
    const report = await warmUp({
      patterns: [[global]],
      samples: ['x', 'y'],
      calls: [
        () => {
          throw new Error('not ready');
        },
        (t) => calls.push(t),
      ],
    });
    expect(global.lastIndex).toBe(3);
    expect(calls).toEqual(['x', 'y']);
    expect(report.calls).toBe(4);
  });

  it('stops between slices when told to', async () => {
    let stop = false;
    const calls: string[] = [];
    const report = await warmUp(
      {
        patterns: [],
        samples: ['a', 'b', 'c'],
        calls: [
          (t) => {
            calls.push(t);
            stop = true;
          },
        ],
      },
      { shouldStop: () => stop },
    );
    expect(calls).toEqual(['a']);
    expect(report.calls).toBe(1);
  });

  it('samples a few texts of every language, spread over the examples', () => {
    const examples = [
      ...Array.from({ length: 9 }, (_, i) => ({ text: `ko${i}`, language: 'ko' })),
      { text: 'en0', language: 'en' },
      { text: 'en1', language: 'en' },
    ];
    expect(warmUpSamples(examples, 3)).toEqual(['ko0', 'ko3', 'ko6', 'en0', 'en1']);
  });
});
