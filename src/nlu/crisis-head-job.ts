/**
 * The crisis head's training job, as it runs in the NLU training thread (or in-process for the
 * benchmark): find the head saved for exactly these inputs, or cross-validate and fit it and save
 * it. Saved heads are keyed by everything that determines them: the recipe (CRISIS_HEAD_FORMAT),
 * the encoder's weights, the settings, the lines and the explicit lexicon's verdict on each line.
 *
 * The threshold comes from leave-one-set-out cross-validation (each dev set is an independent
 * writer's round, so a left-out set imitates a new blind one): the highest threshold at which the
 * decision (explicit lexicon hit, or the head) keeps the target recall on the pooled out-of-set
 * predictions of crisis lines. The head itself is then fitted on every line. With a stored
 * threshold (crisis-head-threshold.ts: computed offline for the same crisis-head files) the
 * cross-validation is skipped and only that last fit runs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { saveCacheFile } from '../jobs/cache-files';
import { CRISIS_HEAD_FORMAT, CrisisHead, NEIGHBOUR_FEATURES, thresholdForRecall, type CrisisHeadFitOptions, type SerializedCrisisHead } from './crisis-head';
import { ALWAYS_TRAINED_SETS, type CrisisHeadLine } from './crisis-head-data';
import { explicitCrisisRule, headScalars } from './contextual-crisis-judge';
import { EverydayPhrases } from './everyday-phrases';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';

/** What a head is trained from. */
export interface CrisisHeadSpec {
  /** Identity of the encoder's weights. */
  fingerprint: string;
  lines: CrisisHeadLine[];
  /** intents/lexicons: crisis.json (+ -contextual) and everyday.json, for the explicit rule. */
  lexiconDir: string;
  /** Recall on crisis lines the threshold keeps (cross-validated). */
  targetRecall: number;
  settings?: CrisisHeadFitOptions;
  /**
   * Threshold cross-validated offline (intents/crisis-head/threshold.json) for these crisis-head
   * files: used as is, no cross-validation. Undefined = cross-validate.
   */
  storedThreshold?: number;
  /** Folder of saved heads; undefined = never load or save. */
  cacheDir?: string;
}

/** Per left-out set: recall on crisis lines, false alarms on the others (decision and head alone). */
export interface CrisisHeadFold {
  set: string;
  crisis: number;
  other: number;
  recall: number | null;
  falseAlarms: number | null;
  headRecall: number | null;
  headFalseAlarms: number | null;
}

export interface CrisisHeadCrossValidation {
  threshold: number;
  targetRecall: number;
  folds: CrisisHeadFold[];
  /** Out-of-set probability of every line of a left-out set (index into spec.lines), null otherwise. */
  probabilities: (number | null)[];
  /** The explicit rule's verdict per line. */
  explicit: boolean[];
}

export type CrisisHeadRequest =
  | { type: 'crisis-head-lookup'; spec: CrisisHeadSpec }
  | { type: 'crisis-head-train'; spec: CrisisHeadSpec; dimension: number; vectors: Float32Array };

export interface CrisisHeadResult {
  key: string;
  head?: SerializedCrisisHead;
  /** Absent when the head used a stored threshold. */
  cv?: CrisisHeadCrossValidation;
  cached: boolean;
}

interface Saved {
  head: SerializedCrisisHead;
  cv?: CrisisHeadCrossValidation;
}

function lexiconsOf(spec: CrisisHeadSpec) {
  return {
    lexicon: LexiconCrisisDetector.fromFile(path.join(spec.lexiconDir, 'crisis.json')),
    everyday: EverydayPhrases.fromFile(path.join(spec.lexiconDir, 'everyday.json')),
  };
}

/** Key of a trained head: everything that determines it. */
export function crisisHeadKey(spec: CrisisHeadSpec, explicit: boolean[]): string {
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        CRISIS_HEAD_FORMAT,
        spec.fingerprint,
        spec.targetRecall,
        spec.settings ?? {},
        spec.lines.map((l) => [l.text, l.crisis, l.set]),
        explicit,
        // Appended only when used, so cross-validated heads keep their earlier keys.
        ...(spec.storedThreshold === undefined ? [] : [{ storedThreshold: spec.storedThreshold }]),
      ]),
    )
    .digest('hex')
    .slice(0, 24);
}

function loadSaved(file: string): Saved | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Saved;
    return saved.head?.format === CRISIS_HEAD_FORMAT ? saved : undefined;
  } catch {
    return undefined; // Missing, torn or unreadable: train.
  }
}

const rate = (hits: number, n: number) => (n ? Math.round((hits / n) * 1e4) / 1e4 : null);

/** Everything the rows of a fold are built from: embeddings, lexical features, the neighbour table. */
interface RowSource {
  lines: CrisisHeadLine[];
  dimension: number;
  vectors: Float32Array;
  /** Lexical features per line, when the head reads them. */
  scalars?: number[][];
  sets: string[];
  setOf: Int32Array;
  table: Float32Array;
}

/**
 * A line's input row. Its neighbour features leave out `excluded` sets and, for a dev-set line,
 * its own set: a line of a new blind set has no neighbours written by the same writer, and the
 * training rows must look like that too. Intent and button-label lines leave out only themselves.
 */
function rowOf(src: RowSource, i: number, excluded: number[]): Float32Array {
  const scalars = src.scalars?.[i] ?? [];
  const row = new Float32Array(src.dimension + scalars.length + NEIGHBOUR_FEATURES);
  row.set(src.vectors.subarray(i * src.dimension, (i + 1) * src.dimension));
  row.set(scalars, src.dimension);
  const own = src.lines[i]!.set;
  const skip = new Set(ALWAYS_TRAINED_SETS.includes(own) ? excluded : [...excluded, src.setOf[i]!]);
  row.set(neighbourFeatures(src.table, src.sets.length, i, skip), src.dimension + scalars.length);
  return row;
}

function rowsOf(src: RowSource, rows: number[], excluded: number[]) {
  const first = rowOf(src, rows[0]!, excluded);
  const out = new Float32Array(rows.length * first.length);
  rows.forEach((r, k) => out.set(k === 0 ? first : rowOf(src, r, excluded), k * first.length));
  return { dimension: first.length, vectors: out, labels: Uint8Array.from(rows, (r) => (src.lines[r]!.crisis ? 1 : 0)) };
}

function rowSource(
  lines: CrisisHeadLine[],
  dimension: number,
  vectors: Float32Array,
  scalars: number[][] | undefined,
  progress: (message: string) => void,
): RowSource {
  const sets = [...new Set(lines.map((l) => l.set))].sort();
  const table = neighbourTable(lines, dimension, vectors, sets);
  progress('crisis head: neighbour table built');
  return { lines, dimension, vectors, ...(scalars && { scalars }), sets, setOf: Int32Array.from(lines, (l) => sets.indexOf(l.set)), table };
}

/**
 * Leave-one-set-out cross-validation: every set but the always-trained ones is predicted by a head
 * fitted on all the others; the threshold is chosen on the pooled predictions.
 */
function crossValidate(src: RowSource, explicit: boolean[], targetRecall: number, settings: CrisisHeadFitOptions, progress: (message: string) => void): CrisisHeadCrossValidation {
  const { lines } = src;
  const labels = Uint8Array.from(lines, (l) => (l.crisis ? 1 : 0));
  const sets = src.sets.filter((s) => !ALWAYS_TRAINED_SETS.includes(s));
  const probabilities: (number | null)[] = lines.map(() => null);
  for (const set of sets) {
    const left = src.sets.indexOf(set);
    const train: number[] = [];
    const test: number[] = [];
    lines.forEach((l, i) => (l.set === set ? test : train).push(i));
    const head = CrisisHead.fit(rowsOf(src, train, [left]), 0.5, settings);
    for (const i of test) probabilities[i] = head.rowProbability(rowOf(src, i, [left]));
    progress(`crisis head: cross-validated ${set}`);
  }
  const heldOut = lines.map((_, i) => i).filter((i) => probabilities[i] !== null);
  const threshold = thresholdForRecall(
    heldOut.map((i) => probabilities[i]!),
    heldOut.map((i) => labels[i]!),
    targetRecall,
    heldOut.map((i) => explicit[i]!),
  );
  const folds = sets.map((set): CrisisHeadFold => {
    const rows = heldOut.filter((i) => lines[i]!.set === set);
    const pos = rows.filter((i) => labels[i] === 1);
    const neg = rows.filter((i) => labels[i] === 0);
    const head = (i: number) => probabilities[i]! >= threshold;
    const decision = (i: number) => explicit[i]! || head(i);
    return {
      set,
      crisis: pos.length,
      other: neg.length,
      recall: rate(pos.filter(decision).length, pos.length),
      falseAlarms: rate(neg.filter(decision).length, neg.length),
      headRecall: rate(pos.filter(head).length, pos.length),
      headFalseAlarms: rate(neg.filter(head).length, neg.length),
    };
  });
  return { threshold, targetRecall, folds, probabilities, explicit };
}

/**
 * Cross-validates, then fits the head on every line with the cross-validated threshold; with a
 * `storedThreshold`, only the fit (no `cv`).
 */
export function trainCrisisHead(
  lines: CrisisHeadLine[],
  dimension: number,
  vectors: Float32Array,
  lexicons: { lexicon: LexiconCrisisDetector; everyday: EverydayPhrases },
  targetRecall: number,
  settings: CrisisHeadFitOptions = {},
  progress: (message: string) => void = () => undefined,
  storedThreshold?: number,
): { head: CrisisHead; cv?: CrisisHeadCrossValidation } {
  const scalars = settings.lexical ? lines.map((l) => headScalars(l.text, lexicons.lexicon, lexicons.everyday)) : undefined;
  const src = rowSource(lines, dimension, vectors, scalars, progress);
  let cv: CrisisHeadCrossValidation | undefined;
  if (storedThreshold === undefined) {
    const explicit = lines.map((l) => explicitCrisisRule(l.text, lexicons.lexicon, lexicons.everyday));
    cv = crossValidate(src, explicit, targetRecall, settings, progress);
  }
  const threshold = cv?.threshold ?? storedThreshold!;
  const all = lines.map((_, i) => i);
  const memory = { dimension, vectors, crisis: Uint8Array.from(lines, (l) => (l.crisis ? 1 : 0)) };
  const head = CrisisHead.fit(rowsOf(src, all, []), threshold, settings).with(threshold, memory);
  return { head, ...(cv && { cv }) };
}

/**
 * Nearest-neighbour table: for each line and each set, the highest cosine to a crisis line and to
 * another line of that set (the line itself left out). Vectors are L2-normalised (e5).
 */
export function neighbourTable(lines: CrisisHeadLine[], dimension: number, vectors: Float32Array, sets: string[]): Float32Array {
  const n = lines.length;
  const s = sets.length;
  const setOf = Int32Array.from(lines, (l) => sets.indexOf(l.set));
  const table = new Float32Array(n * s * 2).fill(-1);
  for (let i = 0; i < n; i++) {
    const a = i * dimension;
    for (let k = i + 1; k < n; k++) {
      const b = k * dimension;
      let dot = 0;
      for (let j = 0; j < dimension; j++) dot += vectors[a + j]! * vectors[b + j]!;
      const ti = (i * s + setOf[k]!) * 2 + (lines[k]!.crisis ? 1 : 0);
      if (dot > table[ti]!) table[ti] = dot;
      const tk = (k * s + setOf[i]!) * 2 + (lines[i]!.crisis ? 1 : 0);
      if (dot > table[tk]!) table[tk] = dot;
    }
  }
  return table;
}

/** Neighbour features of line i from the table, leaving out the sets in `excluded`. */
export function neighbourFeatures(table: Float32Array, sets: number, i: number, excluded: ReadonlySet<number>): number[] {
  let crisis = -1;
  let other = -1;
  for (let s = 0; s < sets; s++) {
    if (excluded.has(s)) continue;
    crisis = Math.max(crisis, table[(i * sets + s) * 2 + 1]!);
    other = Math.max(other, table[(i * sets + s) * 2]!);
  }
  return [crisis, other, crisis - other];
}

/**
 * Looks a head up, or cross-validates, fits (and saves) one.
 * @throws Error when the lines lack a class
 */
export function runCrisisHeadJob(request: CrisisHeadRequest, progress: (message: string) => void = () => undefined): CrisisHeadResult {
  const { spec } = request;
  const lexicons = lexiconsOf(spec);
  const explicit = spec.lines.map((l) => explicitCrisisRule(l.text, lexicons.lexicon, lexicons.everyday));
  const key = crisisHeadKey(spec, explicit);
  const file = spec.cacheDir ? path.join(spec.cacheDir, `${key}.json`) : undefined;
  const saved = file ? loadSaved(file) : undefined;
  if (saved) return { key, ...saved, cached: true };
  if (request.type === 'crisis-head-lookup') return { key, cached: false };

  const trained = trainCrisisHead(spec.lines, request.dimension, request.vectors, lexicons, spec.targetRecall, spec.settings, progress, spec.storedThreshold);
  const head = trained.head.toJSON();
  if (file) saveCacheFile(file, JSON.stringify({ head, ...(trained.cv && { cv: trained.cv }) }));
  return { key, head, ...(trained.cv && { cv: trained.cv }), cached: false };
}
