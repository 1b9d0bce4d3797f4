/**
 * Worker thread for test/security/regex-redos.test.ts: runs each pattern (or the log masking) on
 * its attack strings and reports the CPU time each run took. It says which case it starts before
 * running it, so the test can name a case that never finishes and terminate this worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { maskPersonalData } from '../../src/core/mask';
import { attackStrings } from './regex-attack-strings';

/** One pattern to check; `mask` runs maskPersonalData on its attack strings instead of the pattern. */
export interface TimingCase {
  name: string;
  source: string;
  flags: string;
  mask?: boolean;
}

export type TimingMessage =
  | { type: 'ready' }
  | { type: 'start'; index: number; label: string }
  | { type: 'result'; index: number; label: string; ms: number }
  | { type: 'done' };

const { cases, length, from } = workerData as { cases: TimingCase[]; length: number; from: number };
const post = (message: TimingMessage) => parentPort!.postMessage(message);

post({ type: 'ready' });

for (let index = from; index < cases.length; index++) {
  const c = cases[index]!;
  const re = new RegExp(c.source, c.flags);
  for (const attack of attackStrings(c.source, c.flags, length)) {
    post({ type: 'start', index, label: attack.label });
    // CPU time, not wall time: a busy machine delays the run but does not add CPU time to it.
    // The other threads of this process (the test's, waiting for this message) are idle meanwhile.
    const started = process.cpuUsage();
    if (c.mask) maskPersonalData(attack.text);
    else {
      re.lastIndex = 0;
      re.test(attack.text);
    }
    const used = process.cpuUsage(started);
    post({ type: 'result', index, label: attack.label, ms: (used.user + used.system) / 1000 });
  }
}
post({ type: 'done' });
