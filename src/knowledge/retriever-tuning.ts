/**
 * Tunes the hybrid retriever on a split made from the data it is built from, never from an
 * evaluation set: the FAQ entries' own question variants, each scored with itself left out of the
 * index; the same variants scored with their whole entry left out (near misses: a question on a
 * neighbouring subject the FAQ does not answer); the intent examples (residents' phrasing) judged by
 * the intent of the best entry; and the out-of-scope and small-talk examples as questions the FAQ
 * cannot answer (far misses).
 *
 * The fusion weights are chosen on the positives and the intent examples; the calibrator and the
 * threshold on the entry-level positives and the two kinds of negatives. test/fixtures/kb/dev.jsonl
 * (written for this, see README) was used to design this split and is never read by it.
 */
import {
  fuse,
  HybridRetriever,
  NO_ANSWER_INTENTS,
  type FusionWeights,
  type IntentExample,
  type QueryScores,
  type RetrieverTuning,
} from './hybrid-retriever';
import { fitCalibrator } from './logistic-calibrator';
import { dot } from './vector-math';

export interface TuningSample {
  scores: QueryScores;
  /** Index of the entry that answers it (a held-out variant). */
  expected?: number;
  /** Intent of a resident-style example: right when the best entry has this intent. */
  intent?: string;
  /** A negative made by leaving the variant's whole entry out (else an out-of-scope example). */
  nearMiss?: boolean;
}

/** True when a sample says "no answer" (neither an expected entry nor an intent). */
const isNegative = (s: TuningSample) => s.expected === undefined && s.intent === undefined;

export interface TuningReport {
  /** Held-out question variants. */
  positives: number;
  /** Resident-style intent examples judged at intent level. */
  intentExamples: number;
  negatives: number;
  /** Of the negatives, those made by leaving an entry out. */
  nearMisses: number;
  /** Top-1 accuracy on the positives with the chosen weights. */
  top1: number;
  /** Of the calibration samples at the chosen threshold: right answers, wrong answers, abstentions. */
  answeredCorrect: number;
  answeredWrong: number;
  abstained: number;
}

/**
 * Two weights are fixed rather than tuned, because leaving one variant out biases the split on
 * exactly these: the held-out variant was written together with its entry's answer (so the split
 * over-rewards answer similarity; tuned, it chose answers only), and removing it removes the
 * entry's closest variant (so the split under-rewards the best single variant and chose the
 * centroid only). Residents' own questions match one variant closely more often than that.
 */
export const ANSWER_WEIGHT = 0.2;
export const BEST_VARIANT_WEIGHT = 0.5;

/**
 * A wrong answer costs twice what an abstention does: misinformation from an official channel is
 * worse than "I am not sure" followed by a rephrase or a counselor.
 */
export const WRONG_ANSWER_COST = 2;

/**
 * Assumed share of FAQ-bound questions that no entry answers. The split's own class balance is an
 * artefact of how it is built, so the threshold weighs its classes by this prior instead.
 */
export const NO_ANSWER_SHARE = 0.3;

/**
 * A variant's closest siblings (by embedding), held out with it. Entries carry many near-copies of
 * each wording ("대형폐기물 어떻게 버려요" / "대형 폐기물 버리는 법"); with only the variant itself left
 * out, its near-copy answers for it and the positives look far easier than a resident's own
 * phrasing, which then reads like a near miss and is declined. At least two variants stay.
 */
function closestSiblings(
  retriever: HybridRetriever,
  variant: number,
  family: number[],
  count = SIBLINGS_HELD_OUT,
): number[] {
  const others = family.filter((j) => j !== variant);
  const keep = Math.max(0, Math.min(count, others.length - 2));
  const v = retriever.variantVectors[variant]!;
  return others
    .map((j) => ({ j, sim: dot(v, retriever.variantVectors[j]!) }))
    .sort((a, b) => b.sim - a.sim)
    .slice(0, keep)
    .map((x) => x.j);
}

/** Closest siblings held out with each positive variant (see closestSiblings). */
export const SIBLINGS_HELD_OUT = 2;

export interface SplitOptions {
  /** Closest siblings held out with each positive variant (default SIBLINGS_HELD_OUT). */
  siblingsHeldOut?: number;
  /** Adds the leave-one-entry-out near-miss negatives (default true). */
  nearMisses?: boolean;
}

export interface TuneOptions extends SplitOptions {
  /** Overrides ANSWER_WEIGHT. */
  answerWeight?: number;
  /** Overrides BEST_VARIANT_WEIGHT. */
  bestVariantWeight?: number;
  /** Cost of a wrong answer relative to the gain of a right one; higher = more abstentions. */
  wrongAnswerCost?: number;
  /** Overrides NO_ANSWER_SHARE. */
  noAnswerShare?: number;
  /** Lowest threshold allowed, so an easy split never makes the bot answer everything. */
  minThreshold?: number;
}

/**
 * Builds the split: every variant of an entry with two or more variants (entry-level positives),
 * the intent examples of intents the FAQ covers (intent-level positives: residents' own wording),
 * and the examples of the no-answer intents (negatives). Each is scored with itself left out.
 */
export async function buildSplit(
  retriever: HybridRetriever,
  examples: IntentExample[],
  options: SplitOptions = {},
): Promise<TuningSample[]> {
  if (retriever.searchOnly) throw new Error('a retriever restored from a snapshot cannot be re-tuned');
  const samples: TuningSample[] = [];
  const byEntry = new Map<number, number[]>();
  retriever.variants.forEach((v, i) => {
    const family = byEntry.get(v.entry);
    if (family) family.push(i);
    else byEntry.set(v.entry, [i]);
  });
  retriever.variants.forEach((v, i) => {
    if (byEntry.get(v.entry)!.length < 2) return;
    samples.push({
      scores: retriever.componentScores(retriever.variantVectors[i]!, v.tokens, {
        variant: i,
        siblings: closestSiblings(retriever, i, byEntry.get(v.entry)!, options.siblingsHeldOut),
      }),
      expected: v.entry,
    });
  });
  // Near misses: every variant again, with its whole entry left out of the index, as a question on
  // a neighbouring subject (same domain, same wording habits) that the FAQ does not answer.
  if (options.nearMisses ?? true) {
    retriever.variants.forEach((v, i) => {
      if (retriever.entries.length < 2) return;
      samples.push({
        scores: retriever.componentScores(retriever.variantVectors[i]!, v.tokens, { entry: v.entry }),
        nearMiss: true,
      });
    });
  }
  const covered = new Set(retriever.entries.map((e) => e.intent));
  // The retriever embedded the intent examples already; others (passed separately) are embedded here.
  const known = new Map(retriever.examples.map((e, i) => [e.text, retriever.exampleVectors[i]!]));
  const used = examples.filter((e) => covered.has(e.intent) || NO_ANSWER_INTENTS.has(e.intent));
  const missing = used.filter((e) => !known.has(e.text));
  const fresh = await retriever.embedder.embed(
    missing.map((e) => e.text),
    'query',
  );
  missing.forEach((e, i) => known.set(e.text, fresh[i]!));
  for (const e of used) {
    const scores = retriever.componentScores(known.get(e.text)!, retriever.tokenize(e.text), {
      exampleText: e.text,
    });
    samples.push(NO_ANSWER_INTENTS.has(e.intent) ? { scores } : { scores, intent: e.intent });
  }
  return samples;
}

/** Whether answering a sample with entry `entry` would be right. */
function isRight(retriever: HybridRetriever, s: TuningSample, entry: number | undefined): boolean {
  if (entry === undefined || isNegative(s)) return false;
  return s.expected !== undefined ? entry === s.expected : retriever.entries[entry]?.intent === s.intent;
}

/** Chooses fusion weights, fits the calibrator and picks the threshold; returns them with a report. */
export function tuneOnSplit(
  retriever: HybridRetriever,
  samples: TuningSample[],
  options: TuneOptions = {},
): { tuning: RetrieverTuning; report: TuningReport } {
  const positives = samples.filter((s) => s.expected !== undefined);
  const intentLevel = samples.filter((s) => s.intent !== undefined);
  const beta = options.answerWeight ?? ANSWER_WEIGHT;
  const hasIntents = samples.some((s) => s.scores.entries.some((e) => e.intent !== 0));
  const entries = retriever.entries;
  // Objective: entry-level top-1 on held-out variants plus intent-level top-1 on residents' examples.
  let best: FusionWeights & { objective: number; top1: number } = {
    alpha: 1,
    beta,
    gamma: options.bestVariantWeight ?? BEST_VARIANT_WEIGHT,
    delta: 0,
    objective: -1,
    top1: 0,
  };
  // The semantic part does not depend on alpha or delta, so each sample's components are laid out
  // once in flat arrays and the grid only mixes them.
  const gamma = options.bestVariantWeight ?? BEST_VARIANT_WEIGHT;
  const base = { alpha: 1, beta, gamma, delta: 0 };
  const flat = (s: TuningSample) => {
    const n = s.scores.entries.length;
    const sem = new Float32Array(n);
    const lex = new Float32Array(n);
    const int = new Float32Array(n);
    s.scores.entries.forEach((e, i) => {
      sem[i] = fuse(e, base).semantic;
      lex[i] = e.lexical;
      int[i] = e.intent;
    });
    return { sem, lex, int };
  };
  const pos = positives.map((s) => ({ expected: s.expected!, ...flat(s) }));
  const lvl = intentLevel.map((s) => ({ intent: s.intent!, ...flat(s) }));
  const fused = (
    x: { sem: Float32Array; lex: Float32Array; int: Float32Array },
    i: number,
    alpha: number,
    delta: number,
  ) => (1 - delta) * (alpha * x.sem[i]! + (1 - alpha) * x.lex[i]!) + delta * x.int[i]!;
  // Dense encoders squeeze similarities into a narrow band, so alpha is searched finely near 1.
  for (const alpha of [0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 1]) {
    for (const delta of hasIntents ? [0, 0.1, 0.2, 0.3, 0.4, 0.5] : [0]) {
      let hits = 0;
      for (const x of pos) {
        const target = fused(x, x.expected, alpha, delta);
        let first = true;
        for (let i = 0; i < x.sem.length && first; i++)
          if (i !== x.expected && fused(x, i, alpha, delta) >= target) first = false;
        if (first) hits++;
      }
      let intentHits = 0;
      for (const x of lvl) {
        let bestIndex = 0;
        let bestScore = -Infinity;
        for (let i = 0; i < x.sem.length; i++) {
          const f = fused(x, i, alpha, delta);
          if (f > bestScore) {
            bestScore = f;
            bestIndex = i;
          }
        }
        if (entries[bestIndex]?.intent === x.intent) intentHits++;
      }
      const top1 = hits / (positives.length || 1);
      const objective = top1 + (intentLevel.length ? intentHits / intentLevel.length : 0);
      if (objective > best.objective + 1e-9) best = { alpha, beta, gamma, delta, objective, top1 };
    }
  }
  const weights: FusionWeights = { alpha: best.alpha, beta: best.beta, gamma: best.gamma, delta: best.delta };
  // Intent-level samples only say that the best entry has the right intent, which a near miss on
  // the same subject also has: labelled "right", they taught the calibrator to trust near misses.
  // They choose the weights above but do not judge confidence.
  const judged = samples.filter((s) => s.intent === undefined);
  const labelled = judged.map((s) => {
    const ranked = retriever.rank(s.scores, weights);
    return {
      features: HybridRetriever.features(ranked, s.scores),
      label: isRight(retriever, s, ranked[0]?.entry) ? 1 : 0,
    };
  });
  const calibrator = fitCalibrator(labelled);
  const provisional: RetrieverTuning = { ...weights, calibrator, threshold: 0.5 };
  const previous = retriever.tuning;
  retriever.tuning = provisional;
  const confidences = judged.map((s) => retriever.confidence(retriever.rank(s.scores), s.scores));
  retriever.tuning = previous;

  const threshold = chooseThreshold(
    judged.map((s, i) => ({
      confidence: confidences[i]!,
      kind: isNegative(s) ? (s.nearMiss ? 'near' : 'far') : labelled[i]!.label ? 'right' : 'wrong',
    })),
    options,
  );
  const report: TuningReport = {
    positives: positives.length,
    intentExamples: intentLevel.length,
    negatives: samples.filter(isNegative).length,
    nearMisses: samples.filter((s) => s.nearMiss).length,
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

/** A calibration sample's confidence and what answering it would be. */
export interface JudgedSample {
  confidence: number;
  /** right / wrong: a positive whose best entry is / is not the expected one; near / far: negatives. */
  kind: 'right' | 'wrong' | 'near' | 'far';
}

/**
 * The threshold with the best expected utility per question: +1 for a right answer, -cost for
 * answering a question that has no answer, 0 for an abstention, with questions that have no answer
 * making up `noAnswerShare` of the traffic, half of them near misses and half far ones. The split's
 * misranked positives are left out: leaving a variant out removes its entry's closest wording, so
 * they are many times more frequent than misrankings of residents' questions, and their scores look
 * like near misses, which the utility already penalises.
 */
export function chooseThreshold(samples: JudgedSample[], options: TuneOptions = {}): number {
  const cost = options.wrongAnswerCost ?? WRONG_ANSWER_COST;
  const share = options.noAnswerShare ?? NO_ANSWER_SHARE;
  const group = (kind: JudgedSample['kind']) =>
    samples.filter((s) => s.kind === kind).map((s) => s.confidence);
  const right = group('right');
  const misses = [group('near'), group('far')].filter((g) => g.length);
  const accepted = (xs: number[], t: number) => xs.filter((c) => c >= t).length / (xs.length || 1);
  const candidates = [...new Set(samples.map((s) => Math.round(s.confidence * 1000) / 1000))].sort(
    (x, y) => x - y,
  );
  let threshold = 0.5;
  let bestUtility = -Infinity;
  for (const t of candidates) {
    if (t < (options.minThreshold ?? 0.05)) continue;
    const falseAccept = misses.reduce((sum, g) => sum + accepted(g, t), 0) / (misses.length || 1);
    const utility = (1 - share) * accepted(right, t) - share * cost * falseAccept;
    if (utility > bestUtility + 1e-12) {
      bestUtility = utility;
      threshold = t;
    }
  }
  return threshold;
}

/** Builds the split, tunes, and installs the tuning on the retriever. */
export async function tuneRetriever(
  retriever: HybridRetriever,
  examples: IntentExample[],
  options: TuneOptions = {},
): Promise<TuningReport> {
  const { tuning, report } = tuneOnSplit(retriever, await buildSplit(retriever, examples, options), options);
  retriever.tuning = tuning;
  return report;
}
