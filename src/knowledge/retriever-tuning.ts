/**
 * Tunes the hybrid retriever on a split made from the FAQ entries' own question variants: each
 * variant is scored as a query with itself left out of the index (positives), and the examples of
 * the no-answer intents (out of scope, small talk) are scored, each left out of the intent index,
 * as questions the FAQ cannot answer (negatives). The held-out evaluation set is never used here.
 */
import { fuse, HybridRetriever, NO_ANSWER_INTENTS, type FusionWeights, type IntentExample, type QueryScores, type RetrieverTuning } from './hybrid-retriever';
import { fitCalibrator } from './logistic-calibrator';
import { tokenize } from './text-tokenizer';

export interface TuningSample {
  scores: QueryScores;
  /** Index of the entry that answers it, or undefined for a question the FAQ cannot answer. */
  expected?: number;
}

export interface TuningReport {
  positives: number;
  negatives: number;
  /** Top-1 accuracy on the positives with the chosen weights. */
  top1: number;
  /** Of all samples at the chosen threshold: right answers, wrong answers, abstentions. */
  answeredCorrect: number;
  answeredWrong: number;
  abstained: number;
}

/**
 * Weight of question-to-answer similarity, fixed rather than tuned: a held-out variant was written
 * together with its entry's answer and shares its wording, so the split rewards answer similarity
 * far more than residents' own questions do (tuned, it chose answers only).
 */
export const ANSWER_WEIGHT = 0.2;

export interface TuneOptions {
  /** Overrides ANSWER_WEIGHT. */
  answerWeight?: number;
  /** Cost of a wrong answer relative to the gain of a right one; higher = more abstentions. */
  wrongAnswerCost?: number;
  /** Lowest threshold allowed, so an easy split never makes the bot answer everything. */
  minThreshold?: number;
}

/** Builds the split: every variant of an entry with two or more variants, plus the negatives. */
export async function buildSplit(retriever: HybridRetriever, negatives: string[]): Promise<TuningSample[]> {
  const samples: TuningSample[] = [];
  const perEntry = new Map<number, number>();
  for (const v of retriever.variants) perEntry.set(v.entry, (perEntry.get(v.entry) ?? 0) + 1);
  retriever.variants.forEach((v, i) => {
    if ((perEntry.get(v.entry) ?? 0) < 2) return;
    samples.push({ scores: retriever.componentScores(retriever.variantVectors[i]!, v.tokens, { variant: i }), expected: v.entry });
  });
  const vectors = await retriever.embedder.embed(negatives, 'query');
  negatives.forEach((text, i) => {
    samples.push({ scores: retriever.componentScores(vectors[i]!, tokenize(text), { exampleText: text }) });
  });
  return samples;
}

/** Zero-based rank of the expected entry under some weights (ties count against it). */
function rankOf(sample: TuningSample, w: FusionWeights): number {
  const target = fuse(sample.scores.entries[sample.expected!]!, w).score;
  let above = 0;
  for (const s of sample.scores.entries) if (s.entry !== sample.expected && fuse(s, w).score >= target) above++;
  return above;
}

/** Chooses fusion weights, fits the calibrator and picks the threshold; returns them with a report. */
export function tuneOnSplit(
  retriever: HybridRetriever,
  samples: TuningSample[],
  options: TuneOptions = {},
): { tuning: RetrieverTuning; report: TuningReport } {
  const positives = samples.filter((s) => s.expected !== undefined);
  const beta = options.answerWeight ?? ANSWER_WEIGHT;
  const hasIntents = samples.some((s) => s.scores.entries.some((e) => e.intent !== 0));
  let best: FusionWeights & { top1: number; mrr: number } = { alpha: 1, beta, gamma: 0.5, delta: 0, top1: -1, mrr: -1 };
  for (let a = 0; a <= 10; a++) {
    for (const gamma of [0, 0.25, 0.5, 0.75, 1]) {
      for (const delta of hasIntents ? [0, 0.1, 0.2, 0.3, 0.4, 0.5] : [0]) {
        const weights = { alpha: a / 10, beta, gamma, delta };
        let hits = 0;
        let mrr = 0;
        for (const s of positives) {
          const pos = rankOf(s, weights);
          if (pos === 0) hits++;
          if (pos < 5) mrr += 1 / (pos + 1);
        }
        const top1 = hits / (positives.length || 1);
        if (top1 > best.top1 + 1e-9 || (Math.abs(top1 - best.top1) <= 1e-9 && mrr > best.mrr)) best = { ...weights, top1, mrr };
      }
    }
  }
  const weights: FusionWeights = { alpha: best.alpha, beta: best.beta, gamma: best.gamma, delta: best.delta };
  const labelled = samples.map((s) => {
    const ranked = retriever.rank(s.scores, weights);
    return {
      features: HybridRetriever.features(ranked, s.scores.noAnswer),
      label: s.expected !== undefined && ranked[0]?.entry === s.expected ? 1 : 0,
    };
  });
  const calibrator = fitCalibrator(labelled);
  const provisional: RetrieverTuning = { ...weights, calibrator, threshold: 0.5 };
  const previous = retriever.tuning;
  retriever.tuning = provisional;
  const confidences = samples.map((s) => retriever.confidence(retriever.rank(s.scores), s.scores.noAnswer));
  retriever.tuning = previous;

  // The threshold with the best utility: +1 per right answer, -cost per wrong one, 0 per abstention.
  const cost = options.wrongAnswerCost ?? 1;
  const candidates = [...new Set(confidences.map((c) => Math.round(c * 1000) / 1000))].sort((x, y) => x - y);
  let threshold = 0.5;
  let bestUtility = -Infinity;
  for (const t of candidates) {
    if (t < (options.minThreshold ?? 0.2)) continue;
    let utility = 0;
    labelled.forEach((l, i) => {
      if (confidences[i]! >= t) utility += l.label ? 1 : -cost;
    });
    if (utility > bestUtility) {
      bestUtility = utility;
      threshold = t;
    }
  }
  const report: TuningReport = {
    positives: positives.length,
    negatives: samples.length - positives.length,
    top1: best.top1,
    answeredCorrect: 0,
    answeredWrong: 0,
    abstained: 0,
  };
  labelled.forEach((l, i) => {
    if (confidences[i]! < threshold) report.abstained++;
    else if (l.label) report.answeredCorrect++;
    else report.answeredWrong++;
  });
  return { tuning: { ...provisional, threshold }, report };
}

/** Texts of the no-answer intents' examples: the negatives of the split. */
export function negativeTexts(examples: IntentExample[]): string[] {
  return examples.filter((e) => NO_ANSWER_INTENTS.has(e.intent)).map((e) => e.text);
}

/** Builds the split, tunes, and installs the tuning on the retriever. */
export async function tuneRetriever(retriever: HybridRetriever, negatives: string[], options: TuneOptions = {}): Promise<TuningReport> {
  const { tuning, report } = tuneOnSplit(retriever, await buildSplit(retriever, negatives), options);
  retriever.tuning = tuning;
  return report;
}
