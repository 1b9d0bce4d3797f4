/** A feed problem that stops the import, located by file, line and field for whoever fixes the feed. */

/** Plain data form, as it crosses the worker boundary and appears in logs and /readyz. */
export interface GtfsProblem {
  file: string;
  /** 1-based line of the file (the header is line 1); absent for whole-file problems. */
  line?: number;
  field?: string;
  message: string;
}

export class GtfsImportError extends Error {
  readonly code = 'gtfs_invalid';
  readonly retryable = false;

  constructor(readonly problem: GtfsProblem) {
    super(describeProblem(problem));
    this.name = 'GtfsImportError';
  }
}

/** One line a person can act on: "stop_times.txt line 12, field departure_time: ...". */
export function describeProblem(p: GtfsProblem): string {
  const where = [p.file, p.line !== undefined ? `line ${p.line}` : undefined].filter(Boolean).join(' ');
  return `${where}${p.field ? `, field ${p.field}` : ''}: ${p.message}`;
}
