/**
 * Puts the marks back on Vietnamese typed without them ("em muon chet" -> "em muốn chết"), so the
 * encoder reads it as it reads marked Vietnamese. A syllable bigram model counted on the marked
 * Vietnamese the service already has (intent examples, the crisis head's lines) picks, for each bare
 * syllable, the marked form most likely after the previous one (Viterbi over the candidates). Small
 * and exact enough for the common words of a call center; an unknown syllable is kept as typed.
 * Hand-written: no maintained npm package restores Vietnamese marks offline.
 */
import { inSlices } from '../jobs/yield-to-loop';
import { foldLatinDiacritics, lacksLatinDiacritics } from './latin-diacritics';

const SYLLABLE = /[\p{Script=Latin}\p{M}]+/gu;
/** Weight of the bigram estimate against the unigram one (interpolation). */
const BIGRAM_WEIGHT = 0.8;
/** Least share of a message's syllables that must be known Vietnamese syllables. */
export const MIN_VIETNAMESE_SHARE = 0.8;
/** Fewest syllables a message needs before it is read as Vietnamese at all. */
export const MIN_SYLLABLES = 3;
/** Most candidates kept per bare syllable (the most frequent): bounds the Viterbi work. */
const MAX_CANDIDATES = 8;

export class VietnameseMarkRestorer {
  /** Bare syllable -> its marked forms, most frequent first. */
  private readonly candidates = new Map<string, string[]>();
  private readonly unigram = new Map<string, number>();
  private readonly bigram = new Map<string, number>();
  private total = 0;

  /**
   * Counts the lines in slices that yield to the event loop (counting ten thousand lines takes
   * longer than a turn may).
   */
  static async build(lines: readonly string[], slice = 500): Promise<VietnameseMarkRestorer> {
    const restorer = new VietnameseMarkRestorer([]);
    const forms = new Map<string, Map<string, number>>();
    await inSlices(lines, slice, (some) => restorer.count(some, forms));
    restorer.index(forms);
    return restorer;
  }

  /** @param lines marked Vietnamese text (lines without any mark are skipped: they teach nothing) */
  constructor(lines: Iterable<string>) {
    const forms = new Map<string, Map<string, number>>();
    this.count(lines, forms);
    this.index(forms);
  }

  private count(lines: Iterable<string>, forms: Map<string, Map<string, number>>): void {
    for (const line of lines) {
      if (lacksLatinDiacritics(line)) continue;
      let previous: string | undefined;
      for (const m of line.normalize('NFC').toLowerCase().matchAll(SYLLABLE)) {
        const syllable = m[0];
        this.unigram.set(syllable, (this.unigram.get(syllable) ?? 0) + 1);
        this.total++;
        if (previous) this.bigram.set(`${previous} ${syllable}`, (this.bigram.get(`${previous} ${syllable}`) ?? 0) + 1);
        previous = syllable;
        const bare = foldLatinDiacritics(syllable);
        const byForm = forms.get(bare) ?? new Map<string, number>();
        byForm.set(syllable, (byForm.get(syllable) ?? 0) + 1);
        forms.set(bare, byForm);
      }
    }
  }

  private index(forms: Map<string, Map<string, number>>): void {
    for (const [bare, byForm] of forms)
      this.candidates.set(bare, [...byForm.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES).map(([form]) => form));
  }

  /** Number of distinct bare syllables known (0 = nothing to restore with). */
  get size(): number {
    return this.candidates.size;
  }

  /**
   * The text with its marks restored, or undefined when it is not bare Vietnamese: it has marks
   * already, fewer than MIN_SYLLABLES syllables, or under MIN_VIETNAMESE_SHARE of them known
   * ("I am so tired" stays English), or nothing would change.
   */
  restore(text: string): string | undefined {
    if (!lacksLatinDiacritics(text)) return undefined;
    const spans = [...text.matchAll(SYLLABLE)].map((m) => ({ start: m.index, word: m[0] }));
    if (spans.length < MIN_SYLLABLES) return undefined;
    const options = spans.map((s) => this.candidates.get(s.word.toLowerCase()));
    const known = options.filter(Boolean).length;
    if (known / spans.length < MIN_VIETNAMESE_SHARE) return undefined;
    const chosen = this.decode(options);
    let out = '';
    let at = 0;
    let changed = false;
    spans.forEach((s, i) => {
      const form = chosen[i];
      out += text.slice(at, s.start);
      const restored = form ? withCaseOf(s.word, form) : s.word;
      if (restored !== s.word) changed = true;
      out += restored;
      at = s.start + s.word.length;
    });
    out += text.slice(at);
    return changed ? out : undefined;
  }

  /** Viterbi over each syllable's candidates; an unknown syllable (no candidates) breaks the chain. */
  private decode(options: (string[] | undefined)[]): (string | undefined)[] {
    const chosen: (string | undefined)[] = options.map(() => undefined);
    let i = 0;
    while (i < options.length) {
      if (!options[i]) {
        i++;
        continue;
      }
      let end = i;
      while (end < options.length && options[end]) end++;
      this.decodeRun(options as string[][], i, end, chosen);
      i = end;
    }
    return chosen;
  }

  private decodeRun(options: string[][], from: number, to: number, chosen: (string | undefined)[]): void {
    let scores = options[from]!.map((c) => Math.log(this.p(undefined, c)));
    const back: number[][] = [];
    for (let i = from + 1; i < to; i++) {
      const prev = options[i - 1]!;
      const next: number[] = [];
      const pointers: number[] = [];
      for (const c of options[i]!) {
        let best = -Infinity;
        let arg = 0;
        prev.forEach((p, k) => {
          const s = scores[k]! + Math.log(this.p(p, c));
          if (s > best) [best, arg] = [s, k];
        });
        next.push(best);
        pointers.push(arg);
      }
      back.push(pointers);
      scores = next;
    }
    let k = scores.indexOf(Math.max(...scores));
    for (let i = to - 1; i >= from; i--) {
      chosen[i] = options[i]![k]!;
      if (i > from) k = back[i - from - 1]![k]!;
    }
  }

  /** Interpolated probability of `syllable` after `previous` (add-one unigram floor). */
  private p(previous: string | undefined, syllable: string): number {
    const uni = ((this.unigram.get(syllable) ?? 0) + 1) / (this.total + this.unigram.size);
    if (!previous) return uni;
    const before = this.unigram.get(previous) ?? 0;
    if (!before) return uni;
    const bi = (this.bigram.get(`${previous} ${syllable}`) ?? 0) / before;
    return BIGRAM_WEIGHT * bi + (1 - BIGRAM_WEIGHT) * uni;
  }
}

/** `form` (lower case) written with the capitals of `typed`. */
function withCaseOf(typed: string, form: string): string {
  if (typed === typed.toLowerCase()) return form;
  if (typed === typed.toUpperCase()) return form.toUpperCase();
  return form.charAt(0).toUpperCase() + form.slice(1);
}
