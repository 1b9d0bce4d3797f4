/**
 * Calibration of the intent model, on validation predictions only (a given validation set, or
 * out-of-fold predictions of the training data): the embedding head's regularisation, the lexical
 * weight, the neighbour weight and out-of-scope threshold (best in-scope accuracy at the target
 * out-of-scope recall), the temperature of the reported confidences (log-loss) and the crisis
 * threshold.
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import { combine, inScopeBest, type RawScores } from './intent-model';
import { tuneThreshold, type ScoredPrediction, type ThresholdChoice } from './oos-threshold';

const TEMPERATURES = [
  0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 4,
];

/** Expected calibration error of confidences against correctness (equal-width bins). */
export function expectedCalibrationError(confidences: number[], correct: boolean[], bins = 15): number {
  const totals = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  confidences.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    totals[b]! += 1;
    conf[b]! += c;
    acc[b]! += correct[i] ? 1 : 0;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (totals[b]) ece += Math.abs(acc[b]! - conf[b]!) / confidences.length;
  return ece;
}

/** The candidates the decision rule is chosen among. */
export interface RuleSearchOptions {
  /** Candidate weights of the lexical head. */
  lexicalWeights: number[];
  /** Candidate weights of the nearest-example similarity in the in-scope score. */
  neighbourWeights: number[];
  /** Out-of-scope recall the threshold must reach on validation (policy); undefined = balanced accuracy. */
  targetOosRecall?: number;
}

export interface RuleChoice {
  candidate: number;
  lexicalWeight: number;
  neighbourWeight: number;
  choice: ThresholdChoice;
  /** Objective: in-scope accuracy at the target recall, or balanced accuracy, or plain accuracy. */
  objective: number;
}

/**
 * Picks embedding head, lexical weight, neighbour weight and threshold on validation predictions.
 * Among embedding heads the first (most regularised) whose objective is within one standard error
 * of the best wins: small data sets cannot tell close candidates apart, and then simpler is safer.
 */
export function chooseRule(
  raws: RawScores[],
  labels: string[],
  labelIndex: number[],
  oosIndex: number,
  o: RuleSearchOptions,
  candidates: number,
): RuleChoice {
  const hasOos = labels.some((l) => l === OUT_OF_SCOPE);
  const perCandidate: RuleChoice[] = [];
  for (let candidate = 0; candidate < candidates; candidate++) {
    let best: RuleChoice | undefined;
    for (const lexicalWeight of o.lexicalWeights) {
      // Uncalibrated probabilities: sharpening for calibration would flatten exactly the
      // differences between in-scope and out-of-scope scores that the threshold needs.
      const top = raws.map((raw) => inScopeBest(combine(raw, candidate, lexicalWeight, 1), oosIndex));
      for (const neighbourWeight of hasOos ? o.neighbourWeights : [0]) {
        const scored: ScoredPrediction[] = top.map(({ index, score }, i) => ({
          score: score + neighbourWeight * raws[i]!.nearest[candidate]!,
          outOfScope: labels[i] === OUT_OF_SCOPE,
          correct: index === labelIndex[i],
        }));
        const choice = tuneThreshold(scored, { minOosRecall: o.targetOosRecall });
        const reached = o.targetOosRecall === undefined || choice.oosRecall >= o.targetOosRecall - 1e-9;
        const objective = !hasOos
          ? choice.inScopeAccuracy
          : o.targetOosRecall === undefined
            ? choice.balanced
            : reached
              ? choice.inScopeAccuracy
              : choice.balanced - 1;
        if (!best || objective > best.objective + 1e-9)
          best = { candidate, lexicalWeight, neighbourWeight, choice, objective };
      }
    }
    perCandidate.push(best!);
  }
  const top = Math.max(...perCandidate.map((c) => c.objective));
  const n = Math.max(1, labels.filter((l) => l !== OUT_OF_SCOPE).length);
  const standardError = Math.sqrt((Math.min(1, Math.max(0, top)) * (1 - Math.min(1, Math.max(0, top)))) / n);
  return perCandidate.find((c) => c.objective >= top - standardError)!;
}

/** The temperature with the lowest validation log-loss for a chosen head and lexical weight. */
export function chooseTemperature(raws: RawScores[], labelIndex: number[], rule: RuleChoice): number {
  let temperature = 1;
  let bestNll = Infinity;
  for (const t of TEMPERATURES) {
    let nll = 0;
    raws.forEach((raw, i) => {
      const p = combine(raw, rule.candidate, rule.lexicalWeight, t);
      const target = labelIndex[i]!;
      // A label the training data lacks (out of scope without an OOS class): the mass off the best class.
      nll -= Math.log(Math.max(target >= 0 ? p[target]! : 1 - Math.max(...p), 1e-12));
    });
    if (nll < bestNll) [bestNll, temperature] = [nll, t];
  }
  return temperature;
}

/**
 * Crisis threshold: low enough that the model catches every validation crisis message the lexicon
 * misses, but never below 0.1 (one odd example must not flag every sad message) nor above 0.5.
 * @param probabilities calibrated validation probabilities, with their labels and texts
 */
export function chooseCrisisThreshold(
  probabilities: Float32Array[],
  labelIndex: number[],
  texts: string[],
  crisisIndex: number,
  crisisLexicon?: (text: string) => boolean,
): number {
  const missed = probabilities
    .filter((_, i) => labelIndex[i] === crisisIndex && !crisisLexicon?.(texts[i]!))
    .map((p) => p[crisisIndex]!);
  return missed.length ? Math.min(0.5, Math.max(0.1, Math.min(...missed) * 0.9)) : 0.5;
}
