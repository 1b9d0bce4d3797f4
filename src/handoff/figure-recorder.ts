/** Writes daily counters (Korea day) for the supervisor figures; never fails the caller. */
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import { koreaDay } from './shift-schedule';

export class FigureRecorder {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Adds one to each key for the day of `at`. */
  async record(at: Date, keys: string[]): Promise<void> {
    const day = koreaDay(at);
    try {
      await Promise.all(keys.map((key) => this.store.figures.increment(day, key)));
    } catch (err) {
      // Figures are statistics: losing one count must never fail a resident's turn.
      this.logger.warn({ err, keys }, 'could not record figures');
    }
  }
}
