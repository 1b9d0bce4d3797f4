/**
 * Finds evaluation lines that reappear on the training side (intents/, knowledge/, lexicons),
 * exactly or nearly, so an evaluation set stays an evaluation set.
 *
 * Two texts are near duplicates when their normalised forms are equal or their character-bigram
 * sets have a Jaccard similarity at or above the threshold (0.9 by default). Normalising keeps only
 * letters and digits (NFKC, lower case): Korean spacing and punctuation vary freely between
 * writers, so "죽고싶어요." and "죽고 싶어요" are the same line.
 */
import fs from 'node:fs';
import path from 'node:path';

/** NFKC, lower case, letters and digits only. */
export function normalizeForLeak(text: string): string {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]/gu) ?? []).join('');
}

/** The set of character bigrams of an already normalised text. */
export function bigramSet(normalized: string): Set<string> {
  const chars = [...normalized];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** Jaccard similarity of two sets (0 when both are empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** One text on the training side and where it is. */
export interface TrainingText {
  file: string;
  line: number;
  text: string;
}

/** A training-side text that matches some evaluation line. */
export interface Leak {
  file: string;
  line: number;
  /** 'exact' (same normalised text) or 'near' (bigram Jaccard >= threshold). */
  kind: 'exact' | 'near';
}

/**
 * Every training text equal or near to an evaluation text. Uses an inverted index over bigrams,
 * so a few thousand lines against tens of thousands of texts take well under a second.
 */
export function findLeaks(
  evalSets: string[][],
  training: TrainingText[],
  threshold = 0.9,
): Leak[] {
  const prepared = training.map((t) => {
    const norm = normalizeForLeak(t.text);
    return { ...t, norm, grams: bigramSet(norm) };
  });
  const byNorm = new Map<string, number[]>();
  const postings = new Map<string, number[]>();
  prepared.forEach((t, i) => {
    if (!t.norm) return;
    byNorm.set(t.norm, [...(byNorm.get(t.norm) ?? []), i]);
    for (const g of t.grams) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  const found = new Map<string, Leak>();
  const add = (i: number, kind: Leak['kind']) => {
    const t = prepared[i]!;
    const key = `${t.file}:${t.line}`;
    if (!found.has(key) || kind === 'exact') found.set(key, { file: t.file, line: t.line, kind });
  };
  for (const set of evalSets) {
    for (const text of set) {
      const norm = normalizeForLeak(text);
      if (!norm) continue;
      for (const i of byNorm.get(norm) ?? []) add(i, 'exact');
      const grams = bigramSet(norm);
      if (grams.size === 0) continue;
      const shared = new Map<number, number>();
      for (const g of grams) for (const i of postings.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
      for (const [i, n] of shared) {
        const other = prepared[i]!;
        if (other.norm === norm) continue;
        if (n / (grams.size + other.grams.size - n) >= threshold) add(i, 'near');
      }
    }
  }
  return [...found.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * Every JSON string value in a file with its line number (keys excluded). Strings are located
 * line by line, so a value's line is where it is written.
 */
export function jsonStringsWithLines(file: string): TrainingText[] {
  const out: TrainingText[] = [];
  const literal = /"(?:[^"\\]|\\.)*"(\s*:)?/g;
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((content, i) => {
      for (const m of content.matchAll(literal)) {
        if (m[1]) continue; // an object key
        out.push({ file, line: i + 1, text: JSON.parse(m[0]) as string });
      }
    });
  return out;
}

/** The texts of a JSON-lines evaluation file (the `text` field of each line). */
export function evalTexts(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** All files under a folder (recursively) whose names end with one of the extensions. */
export function filesUnder(dir: string, extensions: string[]): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && extensions.some((e) => d.name.endsWith(e)))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}
