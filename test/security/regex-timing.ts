/**
 * Times regular expressions on adversarial inputs in worker threads (./regex-timing-worker.ts),
 * for the ReDoS test and `npm run bench:redos`. A case that does not finish in `stuckMs` is
 * reported as stuck, its worker terminated and the run resumed at the next pattern.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PERSONAL_DATA_PATTERNS } from '../../src/core/mask';
import { EXTRA_ABUSE_PATTERNS } from '../../src/nlu/harassment-patterns';
import type { TimingCase, TimingMessage } from './regex-timing-worker';

export type { TimingCase } from './regex-timing-worker';

export interface Timing {
  name: string;
  label: string;
  /** CPU milliseconds of the run, or 'stuck' when it did not finish within stuckMs (wall time). */
  ms: number | 'stuck';
}

const STARTUP_MS = 120_000;
const lexiconDir = path.join(__dirname, '..', '..', 'intents', 'lexicons');

/** Every pattern list under intents/lexicons ({lang: [patterns]}; keys starting with _ are comments). */
export function lexiconCases(): TimingCase[] {
  const cases: TimingCase[] = [];
  // *-tests.json hold example sentences for the lexicon tests, not patterns.
  for (const file of fs.readdirSync(lexiconDir).filter((f) => f.endsWith('.json') && !f.endsWith('-tests.json'))) {
    const data = JSON.parse(fs.readFileSync(path.join(lexiconDir, file), 'utf8')) as Record<string, unknown>;
    for (const [lang, list] of Object.entries(data)) {
      if (lang.startsWith('_') || !Array.isArray(list) || !list.every((p) => typeof p === 'string')) continue;
      (list as string[]).forEach((source, i) =>
        cases.push({ name: `${file} ${lang}[${i}] /${source}/`, source: source.normalize('NFKC'), flags: 'iu' }),
      );
    }
  }
  return cases;
}

/** The lexicons, the harassment patterns added in code, and the log masking. */
export function allRegexCases(): TimingCase[] {
  return [
    ...lexiconCases(),
    ...EXTRA_ABUSE_PATTERNS.map((source, i) => ({ name: `harassment[${i}] /${source}/`, source: source.normalize('NFKC'), flags: 'iu' })),
    ...PERSONAL_DATA_PATTERNS.map((re, i) => ({ name: `mask[${i}] ${re}`, source: re.source, flags: re.flags, mask: true })),
  ];
}

/** Runs every case on its attack strings of `length` characters; calls `onTiming` per run. */
export async function timeCases(
  cases: TimingCase[],
  options: { length: number; stuckMs: number; onTiming: (t: Timing) => void },
): Promise<void> {
  let from = 0;
  while (from < cases.length) {
    from = await new Promise<number>((resolve, reject) => {
      // TypeScript through tsx, as src/nlu/encoder-host.ts does.
      const file = path.join(__dirname, 'regex-timing-worker.ts');
      const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, {
        eval: true,
        workerData: { cases, length: options.length, from },
      });
      let current: { index: number; label: string } | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const arm = (ms: number) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          if (!current) return reject(new Error(`the regex timing worker did not start within ${ms} ms`));
          options.onTiming({ name: cases[current.index]!.name, label: current.label, ms: 'stuck' });
          void worker.terminate();
          resolve(current.index + 1);
        }, ms);
      };
      worker.on('message', (m: TimingMessage) => {
        if (m.type === 'ready') {
          arm(options.stuckMs);
        } else if (m.type === 'start') {
          current = m;
          arm(options.stuckMs);
        } else if (m.type === 'result') {
          arm(options.stuckMs);
          options.onTiming({ name: cases[m.index]!.name, label: m.label, ms: m.ms });
        } else {
          clearTimeout(watchdog);
          void worker.terminate();
          resolve(cases.length);
        }
      });
      worker.on('error', (err) => {
        clearTimeout(watchdog);
        reject(err);
      });
      // Loading TypeScript through tsx takes seconds on a busy machine; patterns get stuckMs each.
      arm(STARTUP_MS);
    });
  }
}
