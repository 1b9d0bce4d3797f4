/** Messages between a JobThread (main thread) and serveJobs (its worker). */

export interface JobMessage<Request> {
  id: number;
  request: Request;
}

export type JobReply<Result> =
  | { id: number; type: 'progress'; message: string }
  | { id: number; type: 'done'; result: Result }
  | { id: number; type: 'failed'; message: string };
