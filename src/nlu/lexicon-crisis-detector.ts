/** High-recall crisis detection from regular-expression lexicons kept as data (intents/lexicons). */
import fs from 'node:fs';
import type { CrisisDetector } from '../core/nlu-port';
import { foldedPatterns, lacksLatinDiacritics } from './latin-diacritics';

/**
 * Which lexicon matched: 'explicit' (crisis.json, a crisis in any context) or 'contextual'
 * (crisis-contextual.json: farewell- and thanks-like wording the conversation may explain).
 */
export type CrisisLexiconTier = 'explicit' | 'contextual';

/** Reads `{ko: [...], en: [...], ...}` pattern lists (keys starting with "_" are comments). */
export function readPatternFile(file: string): string[] {
  return Object.values(readPatternsByLanguage(file)).flat();
}

/** Reads a pattern file as `{language: [pattern, ...]}` (keys starting with "_" are comments). */
export function readPatternsByLanguage(file: string): Record<string, string[]> {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_'))) as Record<string, string[]>;
}

// Same NFKC as the text, or patterns written with compatibility jamo (ㄹ, ㅠ) never match.
const compile = (sources: string[]) => sources.map((s) => new RegExp(s.normalize('NFKC'), 'iu'));

export class LexiconCrisisDetector implements CrisisDetector {
  private readonly explicit: RegExp[];
  private readonly contextual: RegExp[];
  private readonly explicitFolded: RegExp[];
  private readonly contextualFolded: RegExp[];

  /**
   * @param folded Vietnamese patterns, also read without diacritics against a message typed
   *   without them ("e uong het thuoc ngu roi"): many residents type Vietnamese on a keyboard
   *   without its marks, and the patterns are written with them.
   */
  constructor(explicit: string[], contextual: string[] = [], folded: { explicit?: string[]; contextual?: string[] } = {}) {
    this.explicit = compile(explicit);
    this.contextual = compile(contextual);
    this.explicitFolded = compile(foldedPatterns(folded.explicit ?? []));
    this.contextualFolded = compile(foldedPatterns(folded.contextual ?? []));
  }

  /**
   * Loads the explicit lexicon and, when the file exists, the contextual one next to it
   * (`crisis-contextual.json` beside `crisis.json`).
   */
  static fromFile(file: string, contextualFile = file.replace(/\.json$/, '-contextual.json')): LexiconCrisisDetector {
    const contextual = contextualFile !== file && fs.existsSync(contextualFile) ? readPatternsByLanguage(contextualFile) : {};
    const explicit = readPatternsByLanguage(file);
    return new LexiconCrisisDetector(Object.values(explicit).flat(), Object.values(contextual).flat(), {
      explicit: explicit.vi ?? [],
      contextual: contextual.vi ?? [],
    });
  }

  /** The strongest lexicon the text matches, if any. */
  match(text: string): CrisisLexiconTier | undefined {
    const normalized = text.normalize('NFKC');
    // Folded patterns only for a text without diacritics: one typed with them is read exactly.
    const bare = lacksLatinDiacritics(normalized);
    if (this.explicit.some((p) => p.test(normalized))) return 'explicit';
    if (bare && this.explicitFolded.some((p) => p.test(normalized))) return 'explicit';
    if (this.contextual.some((p) => p.test(normalized))) return 'contextual';
    if (bare && this.contextualFolded.some((p) => p.test(normalized))) return 'contextual';
    return undefined;
  }

  /** Every compiled pattern of both tiers, for the start-up warm-up (nlu-warm-up.ts); not to be modified. */
  compiledPatterns(): readonly RegExp[] {
    return [...this.explicit, ...this.explicitFolded, ...this.contextual, ...this.contextualFolded];
  }

  /** True when either lexicon matches (high recall: what the model's crisis threshold complements). */
  isCrisis(text: string): boolean {
    return this.match(text) !== undefined;
  }
}
