/** The FAQ index thread: builds, tunes, saves and loads FAQ indexes for KnowledgeService, off the event loop. */
import { serveJobs } from '../jobs/serve-jobs';
import { runFaqIndexJob, type FaqIndexRequest, type FaqIndexResult } from './faq-index-job';

serveJobs<FaqIndexRequest, FaqIndexResult>(async (request) => ({ result: await runFaqIndexJob(request) }));
