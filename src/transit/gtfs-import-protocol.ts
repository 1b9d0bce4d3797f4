/** Messages from the import worker to the thread that started it. */
import type { GtfsProblem } from './gtfs-import-error';
import type { TransitIndexData } from './transit-index';

export type ImportWorkerReply =
  | { type: 'progress'; file: string }
  | { type: 'done'; data: TransitIndexData }
  | { type: 'failed'; problem: GtfsProblem };
