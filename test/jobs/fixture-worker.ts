/** A worker for the JobThread tests: echoes, fails, reports progress, spins or dies on request. */
import { serveJobs } from '../../src/jobs/serve-jobs';

export type FixtureRequest =
  | { type: 'echo'; value: string; data?: Float32Array }
  | { type: 'fail' }
  | { type: 'progress'; steps: number }
  | { type: 'spin' }
  | { type: 'die' };

serveJobs<FixtureRequest, { value?: string; sum?: number; data?: Float32Array }>(async (request, context) => {
  switch (request.type) {
    case 'echo': {
      const data = request.data ? Float32Array.from(request.data, (x) => x * 2) : undefined;
      return { result: { value: request.value, ...(data && { data }) }, transfer: data ? [data.buffer] : [] };
    }
    case 'fail':
      throw new Error('the job failed on purpose');
    case 'progress':
      for (let i = 1; i <= request.steps; i++) context.progress(`step ${i}`);
      return { result: { value: 'done' } };
    case 'spin':
      // Blocks its thread until terminated (a training that would take too long).
      for (;;) Math.sqrt(Math.random());
    case 'die':
      process.exit(3);
  }
});
