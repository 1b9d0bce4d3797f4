/** The NLU training thread: runs nlu-jobs.ts jobs for NluService, one at a time, off the event loop. */
import { serveJobs } from '../jobs/serve-jobs';
import { runNluJob } from './nlu-jobs';

serveJobs(runNluJob);
