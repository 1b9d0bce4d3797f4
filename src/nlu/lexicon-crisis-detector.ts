/** High-recall crisis detection from a regular-expression lexicon kept as data (intents/lexicons). */
import fs from 'node:fs';
import type { CrisisDetector } from '../core/nlu-port';

export class LexiconCrisisDetector implements CrisisDetector {
  private readonly patterns: RegExp[];

  constructor(sources: string[]) {
    // Same NFKC as the text, or patterns written with compatibility jamo (ㄹ, ㅠ) never match.
    this.patterns = sources.map((s) => new RegExp(s.normalize('NFKC'), 'iu'));
  }

  /** Loads `{ko: [...], en: [...], ...}` pattern lists from a JSON file. */
  static fromFile(file: string): LexiconCrisisDetector {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
    return new LexiconCrisisDetector(Object.values(data).flat());
  }

  isCrisis(text: string): boolean {
    const normalized = text.normalize('NFKC');
    return this.patterns.some((p) => p.test(normalized));
  }
}
