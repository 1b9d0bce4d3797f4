/**
 * Timings of every lexicon pattern and the log masking on adversarial inputs (the inputs of
 * test/security/regex-redos.test.ts), slowest first:
 *
 *   npm run --silent bench:redos [-- --length 50000] [--top 20] [--stuck-ms 3000]
 *
 * Run it after adding a pattern: a linear one stays in milliseconds at any length.
 */
import { parseArgs } from 'node:util';
import { allRegexCases, timeCases, type Timing } from '../test/security/regex-timing';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { length: { type: 'string', default: '50000' }, top: { type: 'string', default: '20' }, 'stuck-ms': { type: 'string', default: '3000' } },
  });
  const cases = allRegexCases();
  const slowestPerCase = new Map<string, Timing>();
  let runs = 0;
  const started = Date.now();
  await timeCases(cases, {
    length: Number(values.length),
    stuckMs: Number(values['stuck-ms']),
    onTiming(t) {
      runs++;
      const prev = slowestPerCase.get(t.name);
      const slower = (a: Timing, b: Timing) => (a.ms === 'stuck' ? Infinity : a.ms) > (b.ms === 'stuck' ? Infinity : b.ms);
      if (!prev || slower(t, prev)) slowestPerCase.set(t.name, t);
    },
  });
  const ranked = [...slowestPerCase.values()].sort((a, b) => (b.ms === 'stuck' ? Infinity : b.ms) - (a.ms === 'stuck' ? Infinity : a.ms));
  console.log(`${cases.length} patterns, ${runs} runs on ${values.length}-character inputs in ${((Date.now() - started) / 1000).toFixed(1)} s; slowest:`);
  for (const t of ranked.slice(0, Number(values.top)))
    console.log(`${t.ms === 'stuck' ? 'stuck' : `${t.ms.toFixed(1)} ms`}\t${t.name.slice(0, 110)}\t${t.label}`);
}

void main();
