/**
 * Fuzzy stop-name search: every stop gets comparison keys (its name, the name's romanization, its
 * translations), and keys are found through a bigram index scored by the Dice coefficient, with a
 * bonus when one name contains the other ("도청" in "경기도청"). Built in the import worker as
 * typed arrays; searched on the main thread in well under a millisecond.
 */
import { StringTable, encodeStrings } from './string-table';
import type { StopNameIndexData } from './transit-index';
import { bigramCodes, hasHangul, normalizeStopName, romanizeHangul } from './stop-name-normalize';

/** Builds the index from stop names and (stop, text) translations. */
export function buildStopNameIndex(
  names: readonly string[],
  translations: readonly { stop: number; text: string }[],
): StopNameIndexData {
  const keyIds = new Map<string, number>();
  const keyStopPairs: number[] = [];
  const addKey = (stop: number, raw: string) => {
    const key = normalizeStopName(raw);
    if (!key) return;
    let id = keyIds.get(key);
    if (id === undefined) keyIds.set(key, (id = keyIds.size));
    keyStopPairs.push(id, stop);
  };
  names.forEach((name, stop) => {
    addKey(stop, name);
    if (hasHangul(name)) addKey(stop, romanizeHangul(name));
  });
  for (const t of translations) addKey(t.stop, t.text);

  const keys = [...keyIds.keys()];
  const { start: keyStart, values: keyStops } = groupPairs(keyStopPairs, keys.length, true);

  const gramIds = new Map<number, number>();
  const gramKeyPairs: number[] = [];
  const keyGrams = new Uint16Array(keys.length);
  keys.forEach((key, k) => {
    const grams = bigramCodes(key);
    keyGrams[k] = Math.min(grams.length, 0xffff);
    for (const g of grams) {
      let id = gramIds.get(g);
      if (id === undefined) gramIds.set(g, (id = gramIds.size));
      gramKeyPairs.push(id, k);
    }
  });
  // Grams sorted by code so the main thread finds them by binary search.
  const codes = [...gramIds.keys()].sort((a, b) => a - b);
  const rank = new Uint32Array(codes.length);
  codes.forEach((code, r) => (rank[gramIds.get(code)!] = r));
  for (let i = 0; i < gramKeyPairs.length; i += 2) gramKeyPairs[i] = rank[gramKeyPairs[i]!]!;
  const { start: gramStart, values: gramKeys } = groupPairs(gramKeyPairs, codes.length, false);

  return { keys: encodeStrings(keys), keyStart, keyStops, keyGrams, grams: Uint32Array.from(codes), gramStart, gramKeys };
}

/** CSR from flat (group, value) pairs; optionally drops repeated values within a group. */
function groupPairs(pairs: number[], groups: number, dedupe: boolean): { start: Uint32Array; values: Uint32Array } {
  const start = new Uint32Array(groups + 1);
  for (let i = 0; i < pairs.length; i += 2) start[pairs[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const values = new Uint32Array(pairs.length / 2);
  for (let i = 0; i < pairs.length; i += 2) values[fill[pairs[i]!]!++] = pairs[i + 1]!;
  if (!dedupe) return { start, values };
  const out: number[] = [];
  const outStart = new Uint32Array(groups + 1);
  for (let g = 0; g < groups; g++) {
    const seen = new Set<number>();
    for (let i = start[g]!; i < start[g + 1]!; i++) {
      if (seen.has(values[i]!)) continue;
      seen.add(values[i]!);
      out.push(values[i]!);
    }
    outStart[g + 1] = out.length;
  }
  return { start: outStart, values: Uint32Array.from(out) };
}

export interface StopMatch {
  /** The normalized key that matched. */
  key: string;
  /** 0..1; 1 is an exact key match. */
  score: number;
  /** Stop indices under that key. */
  stops: number[];
}

/** Below this a candidate is not offered at all. */
const MIN_SCORE = 0.45;
/** Candidates scored in full (containment check) after the bigram pass. */
const SHORTLIST = 60;

export class StopNameIndex {
  private readonly keys: StringTable;
  private readonly counts: Uint16Array;

  constructor(private readonly data: StopNameIndexData) {
    this.keys = new StringTable(data.keys);
    this.counts = new Uint16Array(data.keyGrams.length);
  }

  /** Best matches for a name as a resident typed it, best first. */
  search(query: string, limit = 5): StopMatch[] {
    const q = normalizeStopName(query);
    if (!q) return [];
    const qGrams = bigramCodes(q);
    const touched: number[] = [];
    const { grams, gramStart, gramKeys, keyGrams } = this.data;
    for (const code of qGrams) {
      const g = binarySearch(grams, code);
      if (g < 0) continue;
      for (let i = gramStart[g]!; i < gramStart[g + 1]!; i++) {
        const k = gramKeys[i]!;
        if (this.counts[k] === 0) touched.push(k);
        this.counts[k]!++;
      }
    }
    const scored = touched
      .map((k) => ({ k, dice: (2 * this.counts[k]!) / (qGrams.length + keyGrams[k]!) }))
      .filter((s) => s.dice >= 0.15);
    for (const k of touched) this.counts[k] = 0;
    scored.sort((a, b) => b.dice - a.dice);

    const matches: StopMatch[] = [];
    for (const { k, dice } of scored.slice(0, SHORTLIST)) {
      const key = this.keys.get(k);
      let score = key === q ? 1 : dice * 0.95;
      if (score < 1 && q.length >= 2 && (key.includes(q) || q.includes(key))) {
        const ratio = Math.min(q.length, key.length) / Math.max(q.length, key.length);
        score = Math.max(score, 0.55 + 0.4 * ratio);
      }
      if (score < MIN_SCORE) continue;
      const stops = Array.from(this.data.keyStops.subarray(this.data.keyStart[k]!, this.data.keyStart[k + 1]!));
      matches.push({ key, score, stops });
    }
    matches.sort((a, b) => b.score - a.score || a.key.length - b.key.length);
    // A Hangul key and its romanization usually point at the same stops: keep the best one.
    const seen = new Set<string>();
    return matches
      .filter((m) => {
        const id = m.stops.join(',');
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      })
      .slice(0, limit);
  }
}

function binarySearch(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
