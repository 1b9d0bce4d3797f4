/**
 * Everyday call-center phrasing that looks like crisis language to a model (intents/lexicons/
 * everyday.json): finds it and cuts it out, so the crisis decision can judge what is left.
 */
import fs from 'node:fs';

/** The everyday kinds found in a message and the message without them. */
export interface EverydayCut {
  kinds: string[];
  /** The text with every everyday span replaced by a space. */
  residual: string;
}

export class EverydayPhrases {
  private readonly patterns: { kind: string; re: RegExp }[];

  /** @param byKind `{kind: {language: [pattern, ...]}}`; keys starting with "_" are comments. */
  constructor(byKind: Record<string, Record<string, string[]> | string>) {
    this.patterns = Object.entries(byKind)
      .filter((entry): entry is [string, Record<string, string[]>] => !entry[0].startsWith('_') && typeof entry[1] === 'object')
      .flatMap(([kind, byLanguage]) =>
        Object.values(byLanguage)
          .flat()
          .map((source) => ({ kind, re: new RegExp(source.normalize('NFKC'), 'giu') })),
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
    for (const { kind, re } of this.patterns) {
      if (only && !only.includes(kind)) continue;
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
