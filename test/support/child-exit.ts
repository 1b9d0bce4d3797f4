/**
 * Whether a child process has ended, and a promise for when it does. A process killed by a signal
 * keeps `exitCode` null (its `signalCode` is set instead), and an 'exit' listener added after the
 * event has fired never runs: checking `exitCode` alone, or listening late, waits for ever.
 */
import type { ChildProcess } from 'node:child_process';

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has ended, also if it ended before this was called. */
export function whenExited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** "code 1", "signal SIGKILL" or "running", for error messages. */
export function describeExit(child: ChildProcess): string {
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  return child.exitCode !== null ? `code ${child.exitCode}` : 'running';
}
