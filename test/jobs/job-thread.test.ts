/** JobThread: one job at a time in a worker thread, with failures, progress, cancellation and a dying thread. */
import path from 'node:path';
import { JobCancelledError, JobThread } from '../../src/jobs/job-thread';
import type { FixtureRequest } from './fixture-worker';

type Result = { value?: string; data?: Float32Array };
const FILE = path.join(__dirname, 'fixture-worker.ts');

describe('JobThread', () => {
  let jobs: JobThread<FixtureRequest, Result>;
  beforeEach(() => {
    jobs = new JobThread<FixtureRequest, Result>(FILE, 'fixture', 2);
  });
  afterEach(async () => {
    await jobs.close();
  });

  it('runs jobs in order and moves typed arrays both ways', async () => {
    const data = Float32Array.of(1, 2, 3);
    const results = await Promise.all([
      jobs.run({ type: 'echo', value: 'a', data }, { transfer: [data.buffer] }),
      jobs.run({ type: 'echo', value: 'b' }),
    ]);
    expect(results.map((r) => r.value)).toEqual(['a', 'b']);
    expect([...results[0]!.data!]).toEqual([2, 4, 6]);
    // Transferred, not copied: the caller's array is detached.
    expect(data.length).toBe(0);
  });

  it('rejects a failing job with its message and keeps serving', async () => {
    await expect(jobs.run({ type: 'fail' })).rejects.toThrow('fixture: the job failed on purpose');
    await expect(jobs.run({ type: 'echo', value: 'after' })).resolves.toEqual({ value: 'after' });
  });

  it('passes progress messages to the caller', async () => {
    const seen: string[] = [];
    await jobs.run({ type: 'progress', steps: 3 }, { onProgress: (m) => seen.push(m) });
    expect(seen).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('bounds the jobs waiting behind the running one', async () => {
    const controller = new AbortController();
    const running = jobs.run({ type: 'spin' }, { signal: controller.signal });
    const waiting = [jobs.run({ type: 'echo', value: '1' }), jobs.run({ type: 'echo', value: '2' })];
    await expect(jobs.run({ type: 'echo', value: '3' })).rejects.toThrow(/2 jobs already waiting/);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
    // The waiting jobs run on a fresh thread once the spinning one is gone.
    expect((await Promise.all(waiting)).map((r) => r.value)).toEqual(['1', '2']);
  });

  it('close() cancels the running job and refuses new ones', async () => {
    const running = jobs.run({ type: 'spin' });
    const waiting = jobs.run({ type: 'echo', value: 'never' });
    const cancelled = Promise.all([
      expect(running).rejects.toBeInstanceOf(JobCancelledError),
      expect(waiting).rejects.toBeInstanceOf(JobCancelledError),
    ]);
    await jobs.close();
    await cancelled;
    await expect(jobs.run({ type: 'echo', value: 'late' })).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('a thread that dies fails its job only; the next job gets a new thread', async () => {
    await expect(jobs.run({ type: 'die' })).rejects.toThrow(/exited with code 3/);
    await expect(jobs.run({ type: 'echo', value: 'alive' })).resolves.toEqual({ value: 'alive' });
  });
});
