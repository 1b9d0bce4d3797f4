/**
 * Holds the current language understanding parts and swaps them as a whole when intent data
 * changes, so a turn always sees one consistent classifier.
 *
 * It starts on the lexical classifier (no model files needed), loads the transformer encoder in
 * the background (`start()`), trains the intent model on intents/ and then hot-swaps to it. If the
 * model cannot be loaded the lexical classifier stays, and status() / the logs say so.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CrisisJudge } from '../core/crisis-port';
import type {
  AbuseDetector,
  Embedder,
  IntentClassifier,
  LanguageDetector,
} from '../core/nlu-port';
import type { Logger } from '../core/logger-port';
import { loadIntentData, type IntentData } from './intent-data';
import type { ModelTuning } from './intent-model';
import { HybridLanguageDetector } from './language-detector';
import { LexicalClassifier } from './lexical-classifier';
import { ContextualCrisisJudge } from './contextual-crisis-judge';
import { EverydayPhrases } from './everyday-phrases';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';
import { TransformerClassifier, trainIntentModel } from './transformer-classifier';
import { EncoderHost } from './encoder-host';
import { TransformerEmbedder } from './transformer-embedder';

export type NluMode = 'transformer' | 'lexical';

export interface NluStatus {
  mode: NluMode;
  model: string;
  /** True while the lexical fallback answers (model missing, failed, or still loading). */
  degraded: boolean;
  /** True while the encoder loads or the intent model trains. */
  loading: boolean;
  reason?: string;
  intents: number;
  examples: number;
  /** How the transformer intent model was tuned (when loaded). */
  tuning?: Pick<
    ModelTuning,
    | 'source'
    | 'lexicalWeight'
    | 'temperature'
    | 'threshold'
    | 'crisisThreshold'
    | 'inScopeAccuracy'
    | 'oosRecall'
    | 'ece'
  >;
  loadMs?: number;
}

export interface NluStartOptions {
  /** Model folder or hub id (MODEL_DIR). */
  modelDir: string;
  /** 'lexical' skips the transformer entirely (NLU_MODE). */
  mode?: 'auto' | 'lexical';
  quantized?: boolean;
  /** Root for the embedding and trained-model caches (e.g. <root>/.cache); undefined = no caches. */
  cacheDir?: string;
  /** Retrain when files in the intents folder change (debounced). */
  watch?: boolean;
  /** Threads of the inference session (NLU_THREADS); default: the CPUs the process sees. */
  threads?: number;
}

export class NluService {
  private classifierImpl: IntentClassifier;
  private lexical: LexicalClassifier;
  private data: IntentData;
  private dataHash: string;
  private mode: NluMode = 'lexical';
  private reason?: string;
  private loading = false;
  private encoder?: TransformerEmbedder;
  private transformer?: TransformerClassifier;
  private options?: NluStartOptions;
  private started?: Promise<void>;
  private encoderSettled?: () => void;
  private readonly encoderReady = new Promise<void>((resolve) => (this.encoderSettled = resolve));
  private training: Promise<void> = Promise.resolve();
  private watcher?: fs.FSWatcher;
  private watchTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly abort = new AbortController();
  private detector: HybridLanguageDetector;
  /** Stable object for the turn pipeline; follows the detector retrained on reload. */
  readonly language: LanguageDetector = { detect: (text) => this.detector.detect(text) };
  /** The crisis lexicons (explicit and farewell-like), high recall. */
  readonly crisis: LexiconCrisisDetector;
  /** The crisis decision in context: lexicons, the current classifier and everyday phrasing. */
  readonly crisisJudge: CrisisJudge;
  abuse?: AbuseDetector;

  constructor(
    private readonly intentsDir: string,
    private readonly logger: Logger,
  ) {
    this.data = loadIntentData(intentsDir);
    this.dataHash = NluService.hash(this.data);
    this.lexical = new LexicalClassifier(this.data.examples);
    this.classifierImpl = this.lexical;
    this.detector = new HybridLanguageDetector(this.data.examples);
    this.crisis = LexiconCrisisDetector.fromFile(path.join(intentsDir, 'lexicons', 'crisis.json'));
    this.crisisJudge = new ContextualCrisisJudge(
      this.crisis,
      EverydayPhrases.fromFile(path.join(intentsDir, 'lexicons', 'everyday.json')),
      () => this.classifierImpl,
    );
    this.reason = 'transformer model not loaded';
  }

  private static hash(data: IntentData): string {
    return crypto
      .createHash('sha256')
      .update(JSON.stringify(data.examples.map((e) => [e.text, e.intent, e.language])))
      .digest('hex');
  }

  /**
   * Loads the encoder and trains the intent model in the background. The returned promise settles
   * when the transformer is in use or the service has settled on degraded lexical mode; it never
   * rejects. Calling it again returns the same promise.
   */
  start(options: NluStartOptions): Promise<void> {
    this.options = options;
    this.started ??= this.load(options);
    if (options.watch) this.watch();
    return this.started;
  }

  private async load(options: NluStartOptions): Promise<void> {
    if (options.mode === 'lexical') {
      this.degrade('NLU_MODE=lexical');
      this.encoderSettled?.();
      return;
    }
    this.loading = true;
    if (options.threads) EncoderHost.threads = options.threads;
    try {
      const encoder = await TransformerEmbedder.load({
        modelDir: options.modelDir,
        quantized: options.quantized ?? true,
        hubCacheDir: options.cacheDir ? path.join(options.cacheDir, 'hub') : undefined,
      });
      if (this.closed) {
        await encoder.close();
        return;
      }
      this.encoder = encoder;
      this.encoderSettled?.();
      this.logger.info(
        { model: encoder.name, loadMs: encoder.loadMs, dimension: encoder.dimension },
        'encoder loaded',
      );
      await this.retrain();
    } catch (err) {
      if (!this.closed)
        this.degrade(`transformer unavailable: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.loading = false;
      this.encoderSettled?.();
    }
  }

  /** Trains the transformer intent model on the current data and swaps it in; on failure, degrades. */
  private retrain(): Promise<void> {
    const attempt = async () => {
      const encoder = this.encoder;
      if (!encoder || this.closed) return;
      const data = this.data;
      const started = performance.now();
      const { model, cached } = await trainIntentModel({
        embedder: encoder,
        fingerprint: encoder.location.fingerprint,
        cacheDir: this.options?.cacheDir ? path.join(this.options.cacheDir, 'embeddings') : undefined,
        modelCacheDir: this.options?.cacheDir ? path.join(this.options.cacheDir, 'intent-models') : undefined,
        examples: data.examples,
        detector: this.language,
        crisis: this.crisis,
        options: { signal: this.abort.signal },
      });
      if (this.closed || data !== this.data) return; // Closed, or newer data arrived meanwhile.
      this.transformer = new TransformerClassifier(encoder, model, this.language, this.lexical);
      this.useClassifier(this.transformer, 'transformer');
      this.logger.info(
        { ms: Math.round(performance.now() - started), cached, tuning: model.tuning },
        'transformer intent model ready',
      );
    };
    const run = () =>
      attempt().catch((err: unknown) => {
        if (this.closed) return; // Training abandoned for shutdown.
        this.transformer = undefined;
        this.degrade(`intent model training failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    // One training at a time; a reload during training queues behind it.
    this.training = this.training.then(run, run);
    return this.training;
  }

  classifier(): IntentClassifier {
    return this.classifierImpl;
  }

  /**
   * True when the transformer was wanted but could not be loaded or trained, so the weaker lexical
   * fallback answers; the answer policy then offers counselors sooner. Not while the model is still
   * loading (seconds), nor when lexical mode was chosen (NLU_MODE=lexical).
   */
  isDegraded(): boolean {
    return (
      this.mode === 'lexical' &&
      !this.loading &&
      this.started !== undefined &&
      this.options?.mode !== 'lexical'
    );
  }

  /** The transformer encoder when loaded (shared with FAQ retrieval), else undefined. */
  embedder(): Embedder | undefined {
    return this.encoder;
  }

  /**
   * Resolves as soon as the encoder has loaded (with it, before the intent model is trained), or
   * with undefined once loading has failed or is not wanted. Before start() it waits for start().
   */
  async embedderReady(): Promise<Embedder | undefined> {
    await this.encoderReady;
    return this.encoder;
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
    this.classifierImpl = this.lexical;
    this.logger.warn({ reason }, 'NLU running in degraded lexical mode: counselors are offered sooner');
  }

  /**
   * Re-reads intents/, retrains the lexical classifier at once and the transformer model (when
   * loaded), and swaps them in. Resolves when the new classifier is in use.
   * @throws Error naming the bad file when the intent data is invalid (the old classifier stays)
   */
  async reload(): Promise<void> {
    const data = loadIntentData(this.intentsDir);
    const hash = NluService.hash(data);
    if (hash === this.dataHash) return this.training;
    this.data = data;
    this.dataHash = hash;
    this.lexical = new LexicalClassifier(data.examples);
    this.detector = new HybridLanguageDetector(data.examples);
    if (this.mode === 'lexical') this.classifierImpl = this.lexical;
    this.logger.info({ examples: data.examples.length }, 'intent data reloaded');
    if (this.encoder) await this.retrain();
  }

  private watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(this.intentsDir, () => {
        clearTimeout(this.watchTimer);
        // Editors write in bursts; retrain once it settles.
        this.watchTimer = setTimeout(() => {
          this.reload().catch((err: unknown) =>
            this.logger.error({ err }, 'intent data reload failed; keeping the current classifier'),
          );
        }, 500);
      });
      this.watcher.on('error', (err) => this.logger.warn({ err }, 'intents folder watch stopped'));
    } catch (err) {
      this.logger.warn({ err }, 'cannot watch the intents folder; use the admin API to reload');
    }
  }

  /** Stops the encoder worker and the folder watch. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.encoderSettled?.();
    clearTimeout(this.watchTimer);
    this.watcher?.close();
    await this.started?.catch(() => undefined);
    await this.training.catch(() => undefined);
    await this.encoder?.close();
  }

  status(): NluStatus {
    const tuning = this.mode === 'transformer' ? this.transformer?.model.tuning : undefined;
    return {
      mode: this.mode,
      model: this.classifierImpl.name,
      degraded: this.mode === 'lexical',
      loading: this.loading,
      ...(this.reason && { reason: this.loading ? 'loading the transformer model' : this.reason }),
      intents: this.data.definitions.size,
      examples: this.data.examples.length,
      ...(tuning && {
        tuning: {
          source: tuning.source,
          lexicalWeight: tuning.lexicalWeight,
          temperature: tuning.temperature,
          threshold: Math.round(tuning.threshold * 1e4) / 1e4,
          ...(tuning.crisisThreshold !== undefined && {
            crisisThreshold: Math.round(tuning.crisisThreshold * 1e4) / 1e4,
          }),
          inScopeAccuracy: Math.round(tuning.inScopeAccuracy * 1e4) / 1e4,
          oosRecall: Math.round(tuning.oosRecall * 1e4) / 1e4,
          ece: Math.round(tuning.ece * 1e4) / 1e4,
        },
      }),
      ...(this.encoder && { loadMs: this.encoder.loadMs }),
    };
  }
}
