/**
 * Chooses the out-of-scope threshold from validation predictions only. Every candidate cut-off is
 * scored by balanced accuracy: the mean of in-scope accuracy (accepted and right) and out-of-scope
 * recall (rejected), so a large in-scope validation set cannot drown the out-of-scope one.
 */

export interface ScoredPrediction {
  /** Confidence that the message is in scope (higher = more likely in scope). */
  score: number;
  /** True when the message is really out of scope. */
  outOfScope: boolean;
  /** For in-scope messages: whether the best in-scope intent is the right one. */
  correct: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  inScopeAccuracy: number;
  oosRecall: number;
  balanced: number;
}

/** Scores at one threshold (accept when score >= threshold). */
export function evaluateThreshold(predictions: ScoredPrediction[], threshold: number): ThresholdChoice {
  let inScope = 0;
  let inScopeRight = 0;
  let oos = 0;
  let oosRejected = 0;
  for (const p of predictions) {
    const accepted = p.score >= threshold;
    if (p.outOfScope) {
      oos++;
      if (!accepted) oosRejected++;
    } else {
      inScope++;
      if (accepted && p.correct) inScopeRight++;
    }
  }
  const inScopeAccuracy = inScope ? inScopeRight / inScope : 1;
  const oosRecall = oos ? oosRejected / oos : 1;
  return { threshold, inScopeAccuracy, oosRecall, balanced: (inScopeAccuracy + oosRecall) / 2 };
}

/**
 * Chooses the threshold. With `minOosRecall`, the threshold with the best in-scope accuracy among
 * those that reject at least that share of validation out-of-scope messages (the operating point
 * is a policy: how many unanswerable questions may get a wrong answer); without it, the best
 * balanced accuracy. Ties go to the middle of the best plateau, the choice least sensitive to the
 * exact validation sample. Without out-of-scope examples nothing can be tuned and `fallback`
 * (default 0: accept everything) is returned.
 */
export function tuneThreshold(
  predictions: ScoredPrediction[],
  options: { minOosRecall?: number; fallback?: number } = {},
): ThresholdChoice {
  const fallback = options.fallback ?? 0;
  if (!predictions.some((p) => p.outOfScope) || !predictions.some((p) => !p.outOfScope)) {
    return evaluateThreshold(predictions, fallback);
  }
  const results = sweep(predictions);
  const floor = options.minOosRecall;
  const eligible = floor === undefined ? [] : results.filter((r) => r.oosRecall >= floor - 1e-9);
  const [pool, key] =
    eligible.length > 0
      ? [eligible, (r: ThresholdChoice) => r.inScopeAccuracy]
      : [results, (r: ThresholdChoice) => r.balanced];
  const best = Math.max(...pool.map(key));
  const plateau = pool.filter((r) => key(r) >= best - 1e-9);
  return plateau[Math.floor((plateau.length - 1) / 2)]!;
}

/** Every distinct cut-off (midpoints between neighbouring scores, plus both ends) in one sorted pass. */
function sweep(predictions: ScoredPrediction[]): ThresholdChoice[] {
  const sorted = [...predictions].sort((a, b) => a.score - b.score);
  const inScope = sorted.filter((p) => !p.outOfScope).length;
  const oos = sorted.length - inScope;
  // At threshold t everything with score < t is rejected.
  let rejectedOos = 0;
  let acceptedRight = sorted.filter((p) => !p.outOfScope && p.correct).length;
  const out: ThresholdChoice[] = [];
  const push = (threshold: number) => {
    const inScopeAccuracy = inScope ? acceptedRight / inScope : 1;
    const oosRecall = oos ? rejectedOos / oos : 1;
    out.push({ threshold, inScopeAccuracy, oosRecall, balanced: (inScopeAccuracy + oosRecall) / 2 });
  };
  push(sorted[0]!.score - 1e-6);
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.outOfScope) rejectedOos++;
    else if (p.correct) acceptedRight--;
    const next = sorted[i + 1];
    if (next && next.score === p.score) continue;
    push(next ? (p.score + next.score) / 2 : p.score + 1e-6);
  }
  return out;
}
