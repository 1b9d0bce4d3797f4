/**
 * Everyday call-center phrasing that looks like crisis language to a model (intents/lexicons/
 * everyday.json): finds it and cuts it out, so the crisis decision can judge what is left.
 */
import fs from 'node:fs';
import { foldedPatterns, lacksLatinDiacritics } from './latin-diacritics';

/** The everyday kinds found in a message and the message without them. */
export interface EverydayCut {
  kinds: string[];
  /** The text with every everyday span replaced by a space. */
  residual: string;
}

export class EverydayPhrases {
  /** `folded`: a Vietnamese pattern without its diacritics, read only against a text typed without them. */
  private readonly patterns: { kind: string; re: RegExp; folded: boolean }[];

  /** @param byKind `{kind: {language: [pattern, ...]}}`; keys starting with "_" are comments. */
  constructor(byKind: Record<string, Record<string, string[]> | string>) {
    this.patterns = Object.entries(byKind)
      .filter((entry): entry is [string, Record<string, string[]>] => !entry[0].startsWith('_') && typeof entry[1] === 'object')
      .flatMap(([kind, byLanguage]) =>
        Object.entries(byLanguage).flatMap(([language, sources]) => [
          ...sources.map((source) => ({ kind, re: new RegExp(source.normalize('NFKC'), 'giu'), folded: false })),
          // Vietnamese is often typed without its marks ("nong muon chet"): the crisis lexicon reads
          // it so, and the everyday phrasing must too, or the look-alike stays a crisis.
          ...(language === 'vi'
            ? foldedPatterns(sources)
                // Whole words only: without its marks a short syllable ("tệ" -> "te") is inside English words.
                .map((folded) => ({ kind, re: new RegExp(`(?<!\\p{L})(?:${folded})(?!\\p{L})`, 'giu'), folded: true }))
            : []),
        ]),
      );
  }

  /** Loads the lexicon file; a missing file gives an empty lexicon (nothing is everyday). */
  static fromFile(file: string): EverydayPhrases {
    if (!fs.existsSync(file)) return new EverydayPhrases({});
    return new EverydayPhrases(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string[]>>);
  }

  /** Finds the everyday spans (of the given kinds only, when given); `kinds` is empty when there are none. */
  cut(text: string, only?: readonly string[]): EverydayCut {
    let residual = text.normalize('NFKC');
    const kinds = new Set<string>();
    const bare = lacksLatinDiacritics(residual);
    for (const { kind, re, folded } of this.patterns) {
      if (only && !only.includes(kind)) continue;
      if (folded && !bare) continue;
      re.lastIndex = 0;
      const next = residual.replace(re, (match) => {
        if (match.trim()) kinds.add(kind);
        return ' ';
      });
      residual = next;
    }
    return { kinds: [...kinds], residual: residual.replace(/\s+/g, ' ').trim() };
  }
}

/** Letters (any script) in a text. */
export function letterCount(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}
