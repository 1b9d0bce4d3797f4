/**
 * Abuse detection from a regular-expression lexicon kept as data (intents/lexicons/abuse.json).
 * A stop-gap until a learned detector lands behind the same AbuseDetector port; it exists so a
 * counselor is shielded from insults from day one. Precise rather than eager: frustration is not abuse.
 */
import fs from 'node:fs';
import type { AbuseDetector } from '../core/nlu-port';

export class LexiconAbuseDetector implements AbuseDetector {
  private readonly patterns: RegExp[];

  constructor(sources: string[]) {
    this.patterns = sources.map((s) => new RegExp(s, 'iu'));
  }

  /** Loads `{ko: [...], en: [...], ...}` pattern lists; keys starting with '_' are comments. */
  static fromFile(file: string): LexiconAbuseDetector {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const sources = Object.entries(data)
      .filter(([key, value]) => !key.startsWith('_') && Array.isArray(value))
      .flatMap(([, value]) => value as string[]);
    return new LexiconAbuseDetector(sources);
  }

  isAbusive(text: string): boolean {
    // NFKC folds full-width letters, but also turns compatibility jamo (ㅅㅂ) into conjoining
    // jamo, so the raw text is checked as well.
    const forms = [text, text.normalize('NFKC')];
    return this.patterns.some((p) => forms.some((f) => p.test(f)));
  }
}
