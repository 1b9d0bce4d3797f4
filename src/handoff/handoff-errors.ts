/**
 * Errors of handoff actions with a stable code and HTTP status, so the console can tell a
 * counselor exactly what happened ("someone else accepted it", "reply first").
 */
export class HandoffError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 423 | 429,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}
