/**
 * Shared data that instances keep in memory (the FAQ index, the intent classifier, notices, the
 * transit timetable) changes on one instance at a time, through the admin API. The instance that
 * wrote the change announces it; every other instance reloads that data from the store.
 */
import type { ReloadTopic } from './event-port';

export interface DataReloads {
  /** Call after a successful store write: every other instance reloads `topic` (this one does not). */
  announce(topic: ReloadTopic): void;
  /**
   * Runs `reload` when another instance announces `topic`, and after events may have been missed.
   * Runs are never concurrent, and a burst of announcements while one runs makes one more run.
   * Returns the unsubscribe function.
   */
  follow(topic: ReloadTopic, reload: () => Promise<void> | void): () => void;
}

/** For modules built without other instances (tests, tools): announces nothing, follows nothing. */
export const NO_RELOADS: DataReloads = {
  announce: () => undefined,
  follow: () => () => undefined,
};
