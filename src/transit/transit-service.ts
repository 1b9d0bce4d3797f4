/**
 * The transit timetable of this instance: imported at start-up from TRANSIT_GTFS (in a worker),
 * swapped whole on reload. A failed first import leaves transit answers off and says why; a failed
 * reload keeps the previous timetable. Each instance imports the same file itself, so nothing here
 * needs sharing between instances.
 */
import type { Logger } from '../core/logger-port';
import { describeProblem, GtfsImportError, type GtfsProblem } from './gtfs-import-error';
import { importFeedInWorker, type ImportOptions } from './gtfs-import-host';
import type { TransitIndexData } from './transit-index';
import { TransitTimetable } from './transit-timetable';

export type TransitState =
  | { kind: 'disabled'; reason: string }
  | { kind: 'loading' }
  | { kind: 'ready'; timetable: TransitTimetable; loadedAt: Date }
  | { kind: 'failed'; problem: GtfsProblem };

export type FeedImporter = (location: string, options: ImportOptions) => Promise<TransitIndexData>;

export interface TransitStatus {
  /** Always true: transit problems never make the service unready. */
  ok: true;
  status: string;
  feed?: TransitIndexData['feed'];
  stats?: TransitIndexData['stats'];
  problem?: GtfsProblem;
  /** A reload that failed while the previous timetable kept serving. */
  reloadProblem?: GtfsProblem;
}

export class TransitService {
  private current: TransitState;
  private loading?: Promise<void>;
  private reloadProblem?: GtfsProblem;
  private readonly abort = new AbortController();

  constructor(
    private readonly options: { location?: string; logger: Logger; importer?: FeedImporter },
  ) {
    this.current = options.location ? { kind: 'loading' } : { kind: 'disabled', reason: 'TRANSIT_GTFS is not set' };
  }

  state(): TransitState {
    return this.current;
  }

  /** Imports the feed (again); resolves when done, whether it worked or not. */
  load(): Promise<void> {
    const location = this.options.location;
    if (!location) return Promise.resolve();
    this.loading ??= this.importOnce(location).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async importOnce(location: string): Promise<void> {
    const { logger } = this.options;
    const importer = this.options.importer ?? importFeedInWorker;
    const started = Date.now();
    logger.info({ feed: location }, 'transit: importing GTFS feed');
    try {
      const data = await importer(location, { signal: this.abort.signal, onProgress: (file) => logger.debug({ file }, 'transit: reading') });
      this.current = { kind: 'ready', timetable: new TransitTimetable(data), loadedAt: new Date() };
      this.reloadProblem = undefined;
      logger.info({ feed: data.feed, stats: data.stats, ms: Date.now() - started }, 'transit: timetable ready');
    } catch (err) {
      const problem = err instanceof GtfsImportError ? err.problem : { file: location, message: String(err) };
      if (this.abort.signal.aborted) return;
      logger.error({ problem }, `transit disabled: ${describeProblem(problem)}`);
      if (this.current.kind === 'ready') this.reloadProblem = problem;
      else this.current = { kind: 'failed', problem };
    }
  }

  /** For /readyz: ready even when transit is off, with the reason. */
  status(): TransitStatus {
    const s = this.current;
    switch (s.kind) {
      case 'disabled':
        return { ok: true, status: `transit disabled: ${s.reason}` };
      case 'loading':
        return { ok: true, status: 'loading' };
      case 'failed':
        return { ok: true, status: `transit disabled: ${describeProblem(s.problem)}`, problem: s.problem };
      case 'ready':
        return {
          ok: true,
          status: 'ready',
          feed: s.timetable.feed,
          stats: s.timetable.stats,
          ...(this.reloadProblem && { reloadProblem: this.reloadProblem }),
        };
    }
  }

  /** Stops an import in progress. */
  close(): void {
    this.abort.abort();
  }
}
