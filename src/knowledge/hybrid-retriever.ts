/**
 * Hybrid FAQ retrieval. For each entry it combines
 *  - semantic similarity from an Embedder (the e5 encoder, or the lexical stand-in) to the entry's
 *    question variants (best one and centroid) and to its answer,
 *  - BM25 over Korean-aware tokens of the variants,
 *  - similarity to the intent examples of the entry's intent (residents' own phrasing, k-NN),
 * and a calibrator turns the best and runner-up scores, and how much of the query the best entry's
 * vocabulary covers, into the probability that the best entry answers the question. Below the
 * threshold the bot does not guess.
 */
import { INTENT, OUT_OF_SCOPE, type IntentName } from '../core/intents';
import type { FaqEntry, FaqHit, RetrievalResult } from '../core/knowledge-port';
import { reusableVector, type Embedder, type QueryVectorOption } from '../core/nlu-port';
import { Bm25Index, type Bm25State } from './bm25-index';
import { predict, type CalibratorModel } from './logistic-calibrator';
import type { SparseEmbedder } from './lexical-embedder';
import { densify, SimilarityIndex, type SimilarityIndexState, type SparseRow } from './similarity-index';
import { dot } from './vector-math';
import { tokenize as bigramTokenize } from './text-tokenizer';

/** Splits a text into BM25 tokens. */
export type Tokenizer = (text: string) => string[];

/** How scores are combined and judged; found by tuneRetriever on the entries' own variants. */
export interface RetrieverTuning {
  /** Weight of semantic similarity against BM25 (1 - alpha goes to BM25). */
  alpha: number;
  /** Weight of question-to-answer similarity inside the semantic score. */
  beta: number;
  /** Weight of the best single question variant versus the centroid of the entry's variants. */
  gamma: number;
  /** Weight of the intent-example similarity in the final score. */
  delta: number;
  calibrator?: CalibratorModel;
  /** Minimum calibrated confidence to answer. */
  threshold: number;
}

export const DEFAULT_TUNING: RetrieverTuning = { alpha: 1, beta: 0.2, gamma: 0.5, delta: 0, threshold: 0.5 };

/** The weights of the fused score. */
export type FusionWeights = Pick<RetrieverTuning, 'alpha' | 'beta' | 'gamma' | 'delta'>;

/** An intent example (text + intent), the classifier's training data. */
export interface IntentExample {
  text: string;
  intent: IntentName;
}

/** Intents whose examples mean "not a question for the FAQ". */
export const NO_ANSWER_INTENTS = new Set<IntentName>([OUT_OF_SCOPE, INTENT.greeting, INTENT.thanksGoodbye]);

/** Per-entry component scores for one query. */
export interface EntryScores {
  entry: number;
  /** Best similarity to one of the entry's question variants (-1 when it has none). */
  question: number;
  /** Similarity to the normalised sum of the entry's question variants. */
  centroid: number;
  /** Best similarity to the entry's answer texts. */
  answer: number;
  /** BM25 normalised by the query's self score, 0..1. */
  lexical: number;
  /** Mean of the best similarities to the examples of the entry's intent (0 without examples). */
  intent: number;
  /**
   * Share of the query's BM25 tokens (weighted by IDF) that occur anywhere in the entry, variants
   * or answers: a question about another service in the same domain brings words the entry lacks.
   */
  coverage: number;
}

/** Everything scored for one query. */
export interface QueryScores {
  entries: EntryScores[];
  /** The same k-NN similarity for the best no-answer intent (out of scope, small talk). */
  noAnswer: number;
}

/** The query-level part of QueryScores (what the calibrator reads besides the ranking). */
export type QueryLevel = Pick<QueryScores, 'noAnswer'>;

export interface Ranked {
  entry: number;
  score: number;
  semantic: number;
  lexical: number;
  intent: number;
  coverage: number;
}

/** Combines one entry's component scores into its fused score. */
export function fuse(s: EntryScores, w: FusionWeights): Ranked {
  // An entry without question variants is matched by its answer alone.
  const question = s.question < -0.5 ? s.answer : w.gamma * s.question + (1 - w.gamma) * s.centroid;
  const semantic = (1 - w.beta) * question + w.beta * Math.max(s.answer, 0);
  const text = w.alpha * semantic + (1 - w.alpha) * s.lexical;
  return {
    entry: s.entry,
    semantic,
    lexical: s.lexical,
    intent: s.intent,
    coverage: s.coverage,
    score: (1 - w.delta) * text + w.delta * s.intent,
  };
}

interface Variant {
  entry: number;
  text: string;
  tokens: string[];
}

/** The variants a hold-out removes (the variant and its held siblings). */
function heldVariants(holdOut: HoldOut): number[] {
  return holdOut.variant === undefined ? [] : [holdOut.variant, ...(holdOut.siblings ?? [])];
}

/** What to leave out when scoring one tuning sample, so it is never compared with itself. */
export interface HoldOut {
  /** A question variant (positives). */
  variant?: number;
  /** More variants of the same entry held out with it (its closest siblings: harder positives). */
  siblings?: number[];
  /** An intent example with exactly this text (negatives, which are intent examples). */
  exampleText?: string;
  /**
   * A whole entry, as if it had never been written: its variants then stand for questions on a
   * neighbouring subject that the FAQ does not answer (the near-miss negatives of the split).
   */
  entry?: number;
}

/** Examples per intent whose similarities are averaged. */
const INTENT_K = 3;

/**
 * What a retriever needs to search, as plain data (typed arrays): built and tuned in the FAQ index
 * thread, saved in the cache, installed on the main thread in milliseconds. It leaves out what only
 * tuning needs (the variants' own vectors and tokens), so a restored retriever searches but is not
 * re-tuned.
 */
export interface RetrieverSnapshot {
  entries: FaqEntry[];
  /** The entry of each question variant. */
  variantEntries: Int32Array;
  variantIndex: SimilarityIndexState;
  answerIndex: SimilarityIndexState;
  answerOwner: Int32Array;
  centroidIndex: SimilarityIndexState;
  centroidNorm2: Float64Array;
  bm25: Bm25State;
  examples: IntentExample[];
  exampleIndex: SimilarityIndexState;
  /** Each entry's vocabulary: tokens and their counts. */
  entryTerms: { tokens: string[]; counts: Float64Array }[];
  tuning: RetrieverTuning;
}

/** The texts build() embeds, in its order: questions and intent examples as queries, answers as passages. */
export function textsToEmbed(
  entries: FaqEntry[],
  intentExamples: IntentExample[] = [],
): { query: string[]; passage: string[] } {
  const variants = entries.flatMap((entry) => Object.values(entry.questions).flatMap((texts) => texts ?? []));
  const answers = entries.flatMap((entry) =>
    Object.values(entry.answer).filter((text): text is string => !!text),
  );
  return { query: [...variants, ...intentExamples.map((e) => e.text)], passage: answers };
}

/** Each entry's token counts inverted: per token, the entries holding it (ascending) and the counts. */
function invertTerms(entryTerms: Map<string, number>[]): {
  terms: Map<string, number>;
  starts: Int32Array;
  entries: Int32Array;
  counts: Float64Array;
} {
  const terms = new Map<string, number>();
  const sizes: number[] = [];
  // Each (entry, token) pair's token number, in iteration order, so the second pass looks up nothing.
  const pairs: number[] = [];
  for (const vocabulary of entryTerms) {
    for (const token of vocabulary.keys()) {
      let t = terms.get(token);
      if (t === undefined) terms.set(token, (t = sizes.push(0) - 1));
      sizes[t]!++;
      pairs.push(t);
    }
  }
  const starts = new Int32Array(sizes.length + 1);
  for (let t = 0; t < sizes.length; t++) starts[t + 1] = starts[t]! + sizes[t]!;
  const next = starts.slice(0, sizes.length);
  const entries = new Int32Array(pairs.length);
  const counts = new Float64Array(pairs.length);
  let p = 0;
  entryTerms.forEach((vocabulary, e) => {
    for (const c of vocabulary.values()) {
      const at = next[pairs[p++]!]!++;
      entries[at] = e;
      counts[at] = c;
    }
  });
  return { terms, starts, entries, counts };
}

/** What build() needs of the embedded texts: the indexes, each variant's non-zero entries, and dense vectors for tuning. */
interface EmbeddedTexts {
  dimension: number;
  variantRows: SparseRow[];
  variantVectors: Float32Array[] | (() => Float32Array[]);
  exampleVectors: Float32Array[] | (() => Float32Array[]);
  variantIndex: SimilarityIndex;
  answerIndex: SimilarityIndex;
  exampleIndex: SimilarityIndex;
}

function isSparse(embedder: Embedder): embedder is SparseEmbedder {
  return typeof (embedder as Partial<SparseEmbedder>).embedSparse === 'function';
}

/**
 * Embeds the variants and answers (and examples) and indexes them. A sparse embedder's rows are
 * indexed as they are, and made dense only if tuning asks (the lexical embedder's dense vectors
 * are 8,192 floats with ~60 non-zero: allocating and scanning them was most of a build).
 */
async function embedAll(
  embedder: Embedder,
  variants: Variant[],
  answers: { text: string }[],
  examples: IntentExample[],
): Promise<EmbeddedTexts> {
  if (isSparse(embedder)) {
    const { dimension } = embedder;
    const variantRows = embedder.embedSparse(
      variants.map((v) => v.text),
      'query',
    );
    const answerRows = embedder.embedSparse(
      answers.map((a) => a.text),
      'passage',
    );
    const exampleRows = embedder.embedSparse(
      examples.map((e) => e.text),
      'query',
    );
    return {
      dimension,
      variantRows,
      variantVectors: () => variantRows.map((row) => densify(row, dimension)),
      exampleVectors: () => exampleRows.map((row) => densify(row, dimension)),
      variantIndex: SimilarityIndex.ofRows(variantRows, dimension),
      answerIndex: SimilarityIndex.ofRows(answerRows, dimension),
      exampleIndex: SimilarityIndex.ofRows(exampleRows, dimension),
    };
  }
  const variantVectors = await embedder.embed(
    variants.map((v) => v.text),
    'query',
  );
  const answerVectors = await embedder.embed(
    answers.map((a) => a.text),
    'passage',
  );
  const exampleVectors = await embedder.embed(
    examples.map((e) => e.text),
    'query',
  );
  return {
    dimension: variantVectors[0]?.length ?? embedder.dimension,
    variantRows: variantVectors.map(allEntries),
    variantVectors,
    exampleVectors,
    variantIndex: SimilarityIndex.of(variantVectors),
    answerIndex: SimilarityIndex.of(answerVectors),
    exampleIndex: SimilarityIndex.of(exampleVectors),
  };
}

/**
 * Each entry's sum of variant vectors (as a row), its squared norm, and each variant's dot with its
 * entry's sum. One scratch vector is reused entry by entry (variants come grouped by entry), and
 * only the positions the variants use are visited, in ascending order: the same float32 additions
 * in the same order as over dense sums, so the values are identical (zeros add nothing).
 */
function centroids(
  entryCount: number,
  variants: Variant[],
  { dimension, variantRows }: Pick<EmbeddedTexts, 'dimension' | 'variantRows'>,
): { centroidRows: SparseRow[]; centroidNorm2: Float64Array; variantDotSum: Float64Array } {
  const sum = new Float32Array(dimension);
  const used = new Uint8Array(dimension);
  const byEntry: number[][] = Array.from({ length: entryCount }, () => []);
  variants.forEach((v, i) => byEntry[v.entry]!.push(i));
  const centroidRows: SparseRow[] = [];
  const centroidNorm2 = new Float64Array(entryCount);
  const variantDotSum = new Float64Array(variants.length);
  byEntry.forEach((members, e) => {
    const touched: number[] = [];
    for (const i of members) {
      const { idx, val } = variantRows[i]!;
      for (let j = 0; j < idx.length; j++) {
        if (val[j] === 0) continue;
        const d = idx[j]!;
        if (!used[d]) {
          used[d] = 1;
          touched.push(d);
        }
        sum[d] = sum[d]! + val[j]!;
      }
    }
    const idx = Uint32Array.from(touched).sort();
    const val = new Float32Array(idx.length);
    for (let j = 0; j < idx.length; j++) val[j] = sum[idx[j]!]!;
    let norm2 = 0;
    for (let j = 0; j < val.length; j++) norm2 += val[j]! * val[j]!;
    centroidNorm2[e] = norm2;
    for (const i of members) {
      const row = variantRows[i]!;
      let acc = 0;
      for (let j = 0; j < row.idx.length; j++) if (row.val[j] !== 0) acc += row.val[j]! * sum[row.idx[j]!]!;
      variantDotSum[i] = acc;
    }
    centroidRows.push({ idx, val });
    for (const d of touched) {
      sum[d] = 0;
      used[d] = 0;
    }
  });
  return { centroidRows, centroidNorm2, variantDotSum };
}

/** A dense vector as a row of all its positions (zeros are skipped where it is read). */
function allEntries(v: Float32Array): SparseRow {
  return { idx: Uint32Array.from({ length: v.length }, (_, i) => i), val: v };
}

export class HybridRetriever {
  /** The examples' intents: names in order of first appearance, and each example's index into them. */
  private readonly exampleIntents: { names: string[]; ofExample: Uint32Array };
  /**
   * The entries' vocabularies inverted, for coverage: token t (numbered by `terms`) is held by the
   * entries holders.entries[starts[t] .. starts[t + 1]], ascending, that many times (counts). Flat
   * arrays and one map, not an object per token. Built at the first search, not when a snapshot is
   * installed on the main thread (that turn already rebuilds the indexes).
   */
  private holders?: { terms: Map<string, number>; starts: Int32Array; entries: Int32Array; counts: Float64Array };

  private constructor(
    readonly entries: FaqEntry[],
    readonly variants: Variant[],
    /** Embeddings of the variants, in order (query form: question-to-question is symmetric). */
    private variantVectorsOrRows: Float32Array[] | (() => Float32Array[]),
    private readonly variantIndex: SimilarityIndex,
    private readonly answerIndex: SimilarityIndex,
    private readonly answerOwner: number[],
    /** Sums of each entry's variant vectors (centroid similarity without materialising means). */
    private readonly centroidIndex: SimilarityIndex,
    /** Squared norm of each entry's variant sum. */
    private readonly centroidNorm2: Float64Array,
    /** Dot product of each variant with its own entry's sum, so a variant can be taken out cheaply. */
    private readonly variantDotSum: Float64Array,
    private readonly bm25: Bm25Index,
    readonly examples: IntentExample[],
    /** Embeddings of the intent examples, in order (reused by the tuning split). */
    private exampleVectorsOrRows: Float32Array[] | (() => Float32Array[]),
    private readonly exampleIndex: SimilarityIndex,
    readonly embedder: Embedder,
    public tuning: RetrieverTuning,
    /** Token counts of each entry's variants and answers (the entry's vocabulary). */
    private readonly entryTerms: Map<string, number>[],
    /** BM25 and coverage tokens of a text (character bigrams for Hangul by default). */
    readonly tokenize: Tokenizer,
    /** Restored from a snapshot: searches, but has no variant vectors to be tuned with. */
    readonly searchOnly = false,
  ) {
    const names: string[] = [];
    const byName = new Map<string, number>();
    const ofExample = Uint32Array.from(examples, (e) => {
      let n = byName.get(e.intent);
      if (n === undefined) byName.set(e.intent, (n = names.push(e.intent) - 1));
      return n;
    });
    this.exampleIntents = { names, ofExample };
  }

  /**
   * Embeddings of the variants, in order (query form: question-to-question is symmetric). Built
   * from sparse rows, they are made dense only when asked for (tuning): 8,192 floats each.
   */
  get variantVectors(): Float32Array[] {
    if (typeof this.variantVectorsOrRows === 'function') this.variantVectorsOrRows = this.variantVectorsOrRows();
    return this.variantVectorsOrRows;
  }

  /** Embeddings of the intent examples, in order (reused by the tuning split); dense when asked for. */
  get exampleVectors(): Float32Array[] {
    if (typeof this.exampleVectorsOrRows === 'function') this.exampleVectorsOrRows = this.exampleVectorsOrRows();
    return this.exampleVectorsOrRows;
  }

  /** The search part of this retriever as plain data (see RetrieverSnapshot). */
  toSnapshot(): RetrieverSnapshot {
    return {
      entries: this.entries,
      variantEntries: Int32Array.from(this.variants, (v) => v.entry),
      variantIndex: this.variantIndex.toState(),
      answerIndex: this.answerIndex.toState(),
      answerOwner: Int32Array.from(this.answerOwner),
      centroidIndex: this.centroidIndex.toState(),
      centroidNorm2: Float64Array.from(this.centroidNorm2),
      bm25: this.bm25.toState(),
      examples: this.examples,
      exampleIndex: this.exampleIndex.toState(),
      entryTerms: this.entryTerms.map((terms) => ({
        tokens: [...terms.keys()],
        counts: Float64Array.from(terms.values()),
      })),
      tuning: this.tuning,
    };
  }

  /**
   * A retriever that searches exactly like the one the snapshot was taken from.
   * @param embedder embeds queries: the same encoder the snapshot was built with
   */
  static fromSnapshot(
    s: RetrieverSnapshot,
    embedder: Embedder,
    tokenizer: Tokenizer = bigramTokenize,
  ): HybridRetriever {
    return new HybridRetriever(
      s.entries,
      Array.from(s.variantEntries, (entry) => ({ entry, text: '', tokens: [] })),
      [],
      SimilarityIndex.fromState(s.variantIndex),
      SimilarityIndex.fromState(s.answerIndex),
      Array.from(s.answerOwner),
      SimilarityIndex.fromState(s.centroidIndex),
      s.centroidNorm2,
      new Float64Array(0),
      Bm25Index.fromState(s.bm25),
      s.examples,
      [],
      SimilarityIndex.fromState(s.exampleIndex),
      embedder,
      s.tuning,
      s.entryTerms.map(({ tokens, counts }) => new Map(tokens.map((t, i) => [t, counts[i]!]))),
      tokenizer,
      true,
    );
  }

  /** Embeds and indexes the entries (and the intent examples, when given). */
  static async build(
    entries: FaqEntry[],
    embedder: Embedder,
    options: { intentExamples?: IntentExample[]; tuning?: RetrieverTuning; tokenizer?: Tokenizer } = {},
  ): Promise<HybridRetriever> {
    const tokenize = options.tokenizer ?? bigramTokenize;
    const variants: Variant[] = [];
    const answers: { entry: number; text: string }[] = [];
    entries.forEach((entry, i) => {
      for (const texts of Object.values(entry.questions)) {
        for (const text of texts ?? []) variants.push({ entry: i, text, tokens: tokenize(text) });
      }
      for (const text of Object.values(entry.answer)) if (text) answers.push({ entry: i, text });
    });
    const examples = options.intentExamples ?? [];
    const vectors = await embedAll(embedder, variants, answers, examples);
    // One BM25 document per entry: all its variants, so a paraphrase can match words spread over several.
    const bm25 = new Bm25Index();
    const perEntry: string[][] = entries.map(() => []);
    for (const v of variants) perEntry[v.entry]!.push(...v.tokens);
    for (const tokens of perEntry) bm25.add(tokens);
    // Vocabulary of each entry (variants and answers, every language) for the coverage features.
    const entryTerms = entries.map(() => new Map<string, number>());
    const count = (e: number, tokens: string[]) => {
      for (const t of tokens) entryTerms[e]!.set(t, (entryTerms[e]!.get(t) ?? 0) + 1);
    };
    for (const v of variants) count(v.entry, v.tokens);
    for (const a of answers) count(a.entry, tokenize(a.text));
    const { centroidRows, centroidNorm2, variantDotSum } = centroids(entries.length, variants, vectors);
    return new HybridRetriever(
      entries,
      variants,
      vectors.variantVectors,
      vectors.variantIndex,
      vectors.answerIndex,
      answers.map((a) => a.entry),
      SimilarityIndex.ofRows(centroidRows, vectors.dimension),
      centroidNorm2,
      variantDotSum,
      bm25,
      examples,
      vectors.exampleVectors,
      vectors.exampleIndex,
      embedder,
      options.tuning ?? DEFAULT_TUNING,
      entryTerms,
      tokenize,
    );
  }

  /** Component scores of every entry for an embedded, tokenised query. */
  componentScores(vector: Float32Array, tokens: string[], holdOut: HoldOut = {}): QueryScores {
    const n = this.entries.length;
    const held = holdOut.variant !== undefined ? this.variants[holdOut.variant] : undefined;
    const heldOut = heldVariants(holdOut);

    const question = new Float32Array(n).fill(-1);
    const variantSims = this.variantIndex.scores(vector);
    for (let i = 0; i < variantSims.length; i++) {
      if (heldOut.includes(i)) continue;
      const e = this.variants[i]!.entry;
      if (variantSims[i]! > question[e]!) question[e] = variantSims[i]!;
    }
    const centroidDots = this.centroidIndex.scores(vector);
    const centroid = new Float32Array(n);
    for (let e = 0; e < n; e++) {
      // Cosine with the mean of the entry's variants; the held-out variant is subtracted from the sum.
      let dotSum = centroidDots[e]!;
      let norm2 = this.centroidNorm2[e]!;
      if (held && held.entry === e) {
        // |S - sum h|^2 = |S|^2 - 2 sum S.h + sum_h sum_h' h.h'
        for (const h of heldOut) {
          dotSum -= variantSims[h]!;
          norm2 -= 2 * this.variantDotSum[h]!;
          for (const h2 of heldOut)
            norm2 += h === h2 ? 1 : dot(this.variantVectors[h]!, this.variantVectors[h2]!);
        }
      }
      centroid[e] = norm2 > 1e-9 ? dotSum / Math.sqrt(norm2) : -1;
    }
    const answer = new Float32Array(n).fill(-1);
    const answerSims = this.answerIndex.scores(vector);
    for (let i = 0; i < answerSims.length; i++) {
      const e = this.answerOwner[i]!;
      if (answerSims[i]! > answer[e]!) answer[e] = answerSims[i]!;
    }
    const intents = this.intentSimilarities(vector, holdOut.exampleText);
    const heldTokens = heldOut.flatMap((h) => this.variants[h]!.tokens);
    const bm = this.bm25.score(tokens, held && { doc: held.entry, tokens: heldTokens });
    // Normalised by the score a document identical to the query would get, so the lexical part
    // reads as "how much of the query is covered" and unknown words pull it down.
    const self = this.bm25.selfScore(tokens) || 1;
    const coverage = this.coverage(tokens, holdOut);
    const entries: EntryScores[] = [];
    for (let e = 0; e < n; e++) {
      if (e === holdOut.entry) continue;
      entries.push({
        entry: e,
        question: question[e]!,
        centroid: centroid[e]!,
        answer: answer[e]!,
        lexical: Math.min(1, (bm.get(e) ?? 0) / self),
        intent: intents.get(this.entries[e]!.intent) ?? 0,
        coverage: coverage[e]!,
      });
    }
    let noAnswer = 0;
    for (const name of NO_ANSWER_INTENTS) noAnswer = Math.max(noAnswer, intents.get(name) ?? 0);
    return { entries, noAnswer };
  }

  /**
   * IDF-weighted share of the query's distinct tokens found in each entry's vocabulary (variants and
   * answers). A held-out variant's tokens are taken out of its entry's counts first.
   */
  private coverage(tokens: string[], holdOut: HoldOut): Float32Array {
    const n = this.entries.length;
    const coverage = new Float32Array(n);
    const held = holdOut.variant !== undefined ? this.variants[holdOut.variant] : undefined;
    const heldCounts = new Map<string, number>();
    for (const h of heldVariants(holdOut))
      for (const t of this.variants[h]!.tokens) heldCounts.set(t, (heldCounts.get(t) ?? 0) + 1);
    let total = 0;
    for (const token of new Set(tokens)) {
      const idf = this.bm25.idf(token);
      total += idf;
      // Only the entries holding the token can count it (an inverted list, not a scan of every entry).
      const holders = (this.holders ??= invertTerms(this.entryTerms));
      const t = holders.terms.get(token);
      if (t === undefined) continue;
      const { starts, entries, counts } = holders;
      for (let j = starts[t]!; j < starts[t + 1]!; j++) {
        const e = entries[j]!;
        let c = counts[j]!;
        if (held && held.entry === e) c -= heldCounts.get(token) ?? 0;
        if (c > 0) coverage[e] = coverage[e]! + idf;
      }
    }
    if (total > 0) for (let e = 0; e < n; e++) coverage[e] = coverage[e]! / total;
    return coverage;
  }

  /** k-NN similarity per intent: mean of the INTENT_K best example similarities. */
  private intentSimilarities(vector: Float32Array, excludeText?: string): Map<string, number> {
    if (!this.examples.length) return new Map();
    const sims = this.exampleIndex.scores(vector);
    const { names, ofExample } = this.exampleIntents;
    // The INTENT_K best similarities of each intent, best first, kept in place: a search runs this
    // over every example (~2,600), and per-intent arrays with a sort each cost more than the scoring.
    const best = new Float64Array(names.length * INTENT_K);
    const count = new Uint8Array(names.length);
    for (let i = 0; i < sims.length; i++) {
      if (excludeText !== undefined && this.examples[i]!.text === excludeText) continue;
      const base = ofExample[i]! * INTENT_K;
      const held = count[ofExample[i]!]!;
      let slot = Math.min(held, INTENT_K);
      const sim = sims[i]!;
      // Insertion into the short sorted list; an equal value goes after the ones already held.
      while (slot > 0 && best[base + slot - 1]! < sim) {
        if (slot < INTENT_K) best[base + slot] = best[base + slot - 1]!;
        slot--;
      }
      if (slot < INTENT_K) best[base + slot] = sim;
      if (held < INTENT_K) count[ofExample[i]!] = held + 1;
    }
    const out = new Map<string, number>();
    names.forEach((intent, n) => {
      const held = count[n]!;
      if (!held) return;
      let sum = 0;
      for (let j = 0; j < held; j++) sum += best[n * INTENT_K + j]!;
      out.set(intent, sum / held);
    });
    return out;
  }

  /** Ranks entries by fused score, best first. */
  rank(scores: QueryScores, weights: FusionWeights = this.tuning): Ranked[] {
    return scores.entries.map((s) => fuse(s, weights)).sort((a, b) => b.score - a.score);
  }

  /** Calibrator inputs from a ranking and the query-level scores it came from. */
  static features(ranked: Ranked[], query: QueryLevel): number[] {
    const none: Ranked = { entry: -1, score: 0, semantic: 0, lexical: 0, intent: 0, coverage: 0 };
    const a = ranked[0] ?? none;
    const b = ranked[1] ?? none;
    const { noAnswer } = query;
    return [
      a.score,
      a.score - b.score,
      a.semantic,
      a.lexical,
      a.intent,
      noAnswer,
      a.intent - noAnswer,
      a.coverage,
    ];
  }

  /** Confidence that the best of a ranking answers the query. */
  confidence(ranked: Ranked[], query: QueryLevel): number {
    const top = ranked[0];
    if (!top) return 0;
    const calibrator = this.tuning.calibrator;
    if (!calibrator) return Math.max(0, Math.min(1, top.score));
    return predict(calibrator, HybridRetriever.features(ranked, query));
  }

  /**
   * The k best entries for a query. `options.vector`, the query's embedding made earlier in the
   * turn by the same encoder (the intent classifier's), saves the encoder pass: the same text and
   * encoder give the same vector, so the result is the same.
   */
  async search(query: string, _language: string, k = 5, options?: QueryVectorOption): Promise<RetrievalResult> {
    if (!this.entries.length || !query.trim()) return { confidence: 0, answerable: false, hits: [] };
    const vector = reusableVector(this.embedder, options) ?? (await this.embedder.embed([query], 'query'))[0]!;
    const scores = this.componentScores(vector, this.tokenize(query));
    const ranked = this.rank(scores);
    const confidence = this.confidence(ranked, scores);
    const hits: FaqHit[] = ranked
      .slice(0, Math.max(k, 2))
      .map((r) => ({ entry: this.entries[r.entry]!, score: r.score }));
    return {
      best: hits[0],
      runnerUp: hits[1],
      confidence,
      answerable: confidence >= this.tuning.threshold,
      hits: hits.slice(0, k),
      vector: { encoder: this.embedder.name, values: vector },
    };
  }
}
