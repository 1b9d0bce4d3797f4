/** The FAQ index thread: builds, tunes, saves and loads FAQ indexes for KnowledgeService, off the event loop. */
import { serveJobs } from '../jobs/serve-jobs';
import { transferablesOf } from '../jobs/transferables';
import { runFaqIndexJob, type FaqIndexRequest, type FaqIndexResult } from './faq-index-job';

serveJobs<FaqIndexRequest, FaqIndexResult>(async (request) => {
  const result = await runFaqIndexJob(request);
  // The index's vectors and postings move to the main thread instead of being copied there.
  return { result, transfer: transferablesOf(result) };
});
