/**
 * What the conversation core reports about its own work, for metrics: one report per bot turn and
 * one per platform send. The HTTP layer turns these into Prometheus series; the core never imports
 * a metrics library.
 */

/** One bot turn, without the resident's words. */
export interface TurnReport {
  channel: string;
  language: string;
  intent: string;
  confidence: number;
  /** The model that classified the words ('payload' for a button press, 'none' without words). */
  model: string;
  crisis: boolean;
  abusive: boolean;
  /** The pipeline step that ended the turn (e.g. 'faq', 'flow', 'crisisGuard'), if one did. */
  endedBy?: string;
  /** Milliseconds the whole turn took, and the intent classification within it. */
  ms: number;
  nluMs?: number;
  replies: number;
  /** The turn threw or timed out and the resident got the apology. */
  failed: boolean;
}

/** How one platform send ended. */
export type SendResult = 'sent' | 'retry' | 'failed' | 'lease_lost';

export interface Telemetry {
  turn(report: TurnReport): void;
  send(channel: string, result: SendResult, ms: number): void;
}

/** Reports to nowhere (tools and tests that do not read metrics). */
export const noTelemetry: Telemetry = {
  turn: () => undefined,
  send: () => undefined,
};
