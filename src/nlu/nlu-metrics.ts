/** Evaluation metrics for intent classification with an out-of-scope label (used by nlu:eval and bench:nlu). */
import { CRISIS_INTENT, OUT_OF_SCOPE } from '../core/nlu-port';

export interface EvalRecord {
  gold: string;
  predicted: string;
  /** The combined crisis decision for this message. */
  crisis?: boolean;
  latencyMs?: number;
}

export interface IntentScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  inScopeAccuracy: number | null;
  oosRecall: number | null;
  oosPrecision: number | null;
  crisisRecall: number | null;
  perIntent: Record<string, IntentScore>;
  /** gold -> predicted -> count (only non-zero cells). */
  confusion: Record<string, Record<string, number>>;
  latencyMs: { p50: number; p95: number } | null;
  model: string;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Scores predictions. `accuracy` counts every message (out-of-scope ones are right when rejected);
 * macro-F1 averages over the gold labels; crisis recall is over gold `crisisIntent` messages.
 */
export function scoreRecords(
  records: EvalRecord[],
  model: string,
  crisisIntent = CRISIS_INTENT,
): EvalReport {
  const labels = [...new Set(records.map((r) => r.gold))].sort();
  const confusion: Record<string, Record<string, number>> = {};
  for (const r of records) {
    const row = (confusion[r.gold] ??= {});
    row[r.predicted] = (row[r.predicted] ?? 0) + 1;
  }
  const perIntent: Record<string, IntentScore> = {};
  for (const label of labels) {
    const tp = records.filter((r) => r.gold === label && r.predicted === label).length;
    const support = records.filter((r) => r.gold === label).length;
    const predicted = records.filter((r) => r.predicted === label).length;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perIntent[label] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
  }
  const inScope = records.filter((r) => r.gold !== OUT_OF_SCOPE);
  const oos = records.filter((r) => r.gold === OUT_OF_SCOPE);
  const predictedOos = records.filter((r) => r.predicted === OUT_OF_SCOPE);
  const crisis = records.filter((r) => r.gold === crisisIntent);
  const latencies = records.map((r) => r.latencyMs).filter((x): x is number => x !== undefined);
  const ratio = (part: number, whole: number) => (whole ? round(part / whole) : null);
  return {
    n: records.length,
    accuracy: round(records.filter((r) => r.gold === r.predicted).length / Math.max(1, records.length)),
    macroF1: round(labels.reduce((s, l) => s + perIntent[l]!.f1, 0) / Math.max(1, labels.length)),
    inScopeAccuracy: ratio(inScope.filter((r) => r.predicted === r.gold).length, inScope.length),
    oosRecall: ratio(oos.filter((r) => r.predicted === OUT_OF_SCOPE).length, oos.length),
    oosPrecision: ratio(predictedOos.filter((r) => r.gold === OUT_OF_SCOPE).length, predictedOos.length),
    crisisRecall: ratio(crisis.filter((r) => r.crisis ?? r.predicted === crisisIntent).length, crisis.length),
    perIntent,
    confusion,
    latencyMs: latencies.length
      ? { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2) }
      : null,
    model,
  };
}
