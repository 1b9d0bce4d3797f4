/** High-recall crisis detection from regular-expression lexicons kept as data (intents/lexicons). */
import fs from 'node:fs';
import type { CrisisDetector } from '../core/nlu-port';

/**
 * Which lexicon matched: 'explicit' (crisis.json, a crisis in any context) or 'contextual'
 * (crisis-contextual.json: farewell- and thanks-like wording the conversation may explain).
 */
export type CrisisLexiconTier = 'explicit' | 'contextual';

/** Reads `{ko: [...], en: [...], ...}` pattern lists (keys starting with "_" are comments). */
export function readPatternFile(file: string): string[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.entries(data)
    .filter(([key]) => !key.startsWith('_'))
    .flatMap(([, list]) => list as string[]);
}

// Same NFKC as the text, or patterns written with compatibility jamo (ㄹ, ㅠ) never match.
const compile = (sources: string[]) => sources.map((s) => new RegExp(s.normalize('NFKC'), 'iu'));

export class LexiconCrisisDetector implements CrisisDetector {
  private readonly explicit: RegExp[];
  private readonly contextual: RegExp[];

  constructor(explicit: string[], contextual: string[] = []) {
    this.explicit = compile(explicit);
    this.contextual = compile(contextual);
  }

  /**
   * Loads the explicit lexicon and, when the file exists, the contextual one next to it
   * (`crisis-contextual.json` beside `crisis.json`).
   */
  static fromFile(file: string, contextualFile = file.replace(/\.json$/, '-contextual.json')): LexiconCrisisDetector {
    const contextual = contextualFile !== file && fs.existsSync(contextualFile) ? readPatternFile(contextualFile) : [];
    return new LexiconCrisisDetector(readPatternFile(file), contextual);
  }

  /** The strongest lexicon the text matches, if any. */
  match(text: string): CrisisLexiconTier | undefined {
    const normalized = text.normalize('NFKC');
    if (this.explicit.some((p) => p.test(normalized))) return 'explicit';
    if (this.contextual.some((p) => p.test(normalized))) return 'contextual';
    return undefined;
  }

  /** True when either lexicon matches (high recall: what the model's crisis threshold complements). */
  isCrisis(text: string): boolean {
    return this.match(text) !== undefined;
  }
}
