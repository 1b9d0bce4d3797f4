/**
 * Holds the current language understanding parts and swaps them as a whole when intent data
 * changes, so a turn always sees one consistent classifier.
 */
import path from 'node:path';
import type { AbuseDetector, CrisisDetector, IntentClassifier, LanguageDetector } from '../core/nlu-port';
import type { Logger } from '../core/logger-port';
import { loadIntentData, type IntentData } from './intent-data';
import { LexicalClassifier } from './lexical-classifier';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';
import { ScriptLanguageDetector } from './script-language-detector';

export type NluMode = 'transformer' | 'lexical';

export interface NluStatus {
  mode: NluMode;
  model: string;
  degraded: boolean;
  reason?: string;
  intents: number;
  examples: number;
}

export class NluService {
  private classifierImpl: IntentClassifier;
  private data: IntentData;
  private mode: NluMode = 'lexical';
  private reason?: string;
  readonly language: LanguageDetector = new ScriptLanguageDetector();
  readonly crisis: CrisisDetector;
  abuse?: AbuseDetector;

  constructor(
    private readonly intentsDir: string,
    private readonly logger: Logger,
  ) {
    this.data = loadIntentData(intentsDir);
    this.classifierImpl = new LexicalClassifier(this.data.examples);
    this.crisis = LexiconCrisisDetector.fromFile(path.join(intentsDir, 'lexicons', 'crisis.json'));
    this.reason = 'transformer model not loaded';
  }

  classifier(): IntentClassifier {
    return this.classifierImpl;
  }

  definitions() {
    return this.data.definitions;
  }

  intentData(): IntentData {
    return this.data;
  }

  /** Installs a better classifier (the transformer); the lexical one stays as the fallback. */
  useClassifier(classifier: IntentClassifier, mode: NluMode): void {
    this.classifierImpl = classifier;
    this.mode = mode;
    this.reason = undefined;
    this.logger.info({ model: classifier.name, mode }, 'intent classifier installed');
  }

  /** Marks the service degraded (lexical fallback) with the reason, for logs and /readyz. */
  degrade(reason: string): void {
    this.mode = 'lexical';
    this.reason = reason;
    this.logger.warn({ reason }, 'NLU running in degraded lexical mode');
  }

  /** Re-reads intents/ and retrains the lexical classifier (hot reload). */
  reload(): void {
    const data = loadIntentData(this.intentsDir);
    const lexical = new LexicalClassifier(data.examples);
    this.data = data;
    if (this.mode === 'lexical') this.classifierImpl = lexical;
  }

  status(): NluStatus {
    return {
      mode: this.mode,
      model: this.classifierImpl.name,
      degraded: this.mode === 'lexical',
      ...(this.reason && { reason: this.reason }),
      intents: this.data.definitions.size,
      examples: this.data.examples.length,
    };
  }
}
