/**
 * Abuse detection: a regular-expression lexicon kept as data (intents/lexicons/abuse.json) for the
 * unmistakable insults in every supported language, OR a learned Korean n-gram model
 * (abuse-model.json, see AbuseNgramModel) for the spelled-around swearing a lexicon misses
 * ("ㅆ1발", "개.새.끼", slang). Both are tuned for precision: frustration is not abuse, and a false
 * flag hides a resident's words from the counselor until revealed. Measured by `npm run bench:abuse`.
 */
import fs from 'node:fs';
import type { AbuseDetector } from '../core/nlu-port';
import { AbuseNgramModel, type SerializedAbuseModel } from './abuse-ngram-model';
import { deobfuscate } from './abuse-normalize';
// Imported (not read from disk) so the build emits it next to the compiled module.
import shippedModel from './abuse-model.json';
import { EXTRA_ABUSE_PATTERNS } from './harassment-patterns';

let shipped: AbuseNgramModel | undefined;
/** The learned model that ships with the code (bench/train-abuse-model.ts). */
export function shippedAbuseModel(): AbuseNgramModel {
  shipped ??= new AbuseNgramModel(shippedModel as SerializedAbuseModel);
  return shipped;
}

// Hangul with or without a space: the model scores Korean only (its training data is Korean).
const HANGUL = /[\uac00-\ud7a3\u3131-\u318e]/u;

export class LexiconAbuseDetector implements AbuseDetector {
  private readonly patterns: RegExp[];

  /**
   * @param sources regular expressions (case-insensitive, Unicode)
   * @param model optional learned scorer consulted for Korean text
   */
  constructor(
    sources: string[],
    private readonly model?: AbuseNgramModel,
  ) {
    // Patterns get the same NFKC as the text: it turns compatibility jamo (ㅅㅂ) into conjoining
    // ones, so a pattern written with ㅅ would otherwise never match a normalised ㅅ.
    this.patterns = sources.map((s) => new RegExp(s.normalize('NFKC'), 'iu'));
  }

  /**
   * Loads `{ko: [...], en: [...], ...}` pattern lists (keys starting with '_' are comments), adds the
   * sexual-harassment and extra insult patterns and, by default, the shipped learned model. `{ model: false }` gives
   * the lexicons alone; `{ model: <file> }` another saved model.
   */
  static fromFile(file: string, options: { model?: string | false } = {}): LexiconAbuseDetector {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const sources = Object.entries(data)
      .filter(([key, value]) => !key.startsWith('_') && Array.isArray(value))
      .flatMap(([, value]) => value as string[]);
    const model =
      options.model === false
        ? undefined
        : options.model
          ? AbuseNgramModel.fromFile(options.model)
          : shippedAbuseModel();
    return new LexiconAbuseDetector([...sources, ...EXTRA_ABUSE_PATTERNS], model);
  }

  /** The compiled patterns, for the start-up warm-up (nlu-warm-up.ts); not to be modified. */
  compiledPatterns(): readonly RegExp[] {
    return this.patterns;
  }

  isAbusive(text: string): boolean {
    const normalized = text.normalize('NFKC');
    const plain = deobfuscate(normalized);
    if (this.patterns.some((p) => p.test(normalized) || p.test(plain))) return true;
    return this.model !== undefined && HANGUL.test(plain) && this.model.isAbusive(plain);
  }
}
