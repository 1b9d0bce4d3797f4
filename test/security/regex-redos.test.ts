/**
 * Super-linear regular expressions on unbounded channel text (issue 12): every lexicon pattern
 * (crisis, abuse, harassment) and the log masking run on adversarial 50,000-character inputs
 * (./regex-attack-strings.ts) in a worker thread. A benchmark-style check with a generous bound:
 * a linear pattern takes a few milliseconds on such input, a quadratic one seconds to minutes; a
 * case that does not finish is named and its worker terminated. Timings: `npm run bench:redos`.
 */
import { allRegexCases, timeCases, type Timing } from './regex-timing';

/** CPU milliseconds per run. Generous: linear runs take at most tens of ms; quadratic ones seconds. */
const BOUND_MS = 200;

describe('regular expressions on adversarial 50,000-character input', () => {
  it('every lexicon pattern and the log masking finish each input within the bound', async () => {
    const cases = allRegexCases();
    expect(cases.length).toBeGreaterThan(300);
    const slow: Timing[] = [];
    let runs = 0;
    await timeCases(cases, {
      length: 50_000,
      // Wall time: a busy machine stretches a 200 ms CPU run, but not to 10 s.
      stuckMs: 10_000,
      onTiming(t) {
        runs++;
        if (t.ms === 'stuck' || t.ms > BOUND_MS) slow.push({ ...t, ms: t.ms === 'stuck' ? t.ms : Math.round(t.ms) });
      },
    });
    expect(runs).toBeGreaterThan(cases.length);
    expect(slow).toEqual([]);
  }, 1_800_000);
});
