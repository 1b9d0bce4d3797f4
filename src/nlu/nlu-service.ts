/**
 * Holds the current language understanding parts and swaps them as a whole when intent data
 * changes, so a turn always sees one consistent classifier.
 *
 * Everything CPU-heavy runs in the NLU training thread (nlu-worker.ts), never on the event loop:
 * fitting the lexical classifier and the language detector (at construction and on every reload),
 * and finding or training the transformer intent model (`start()`, after the encoder has loaded in
 * the inference thread). The main thread only installs finished parts, in milliseconds. Until the
 * lexical classifier arrives, turns wait for it (ready()); then it answers until the transformer
 * model is hot-swapped in. If the model cannot be loaded the lexical classifier stays, and
 * status() / the logs say so.
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
import { JobThread } from '../jobs/job-thread';
import { workerFile } from '../jobs/spawn-worker';
import { yieldToLoop } from '../jobs/yield-to-loop';
import { CachingEmbedder } from './embedding-cache';
import { loadIntentData, type IntentData } from './intent-data';
import type { ModelTuning } from './intent-model';
import { trainIntentModel, type IntentModelRunner } from './intent-model-builder';
import type { IntentModelResult } from './intent-model-job';
import { HybridLanguageDetector } from './language-detector';
import { LexicalClassifier } from './lexical-classifier';
import { ContextualCrisisJudge } from './contextual-crisis-judge';
import type { CrisisHead } from './crisis-head';
import { buildCrisisHead, type CrisisHeadRunner } from './crisis-head-builder';
import { CRISIS_HEAD_THRESHOLD_COMMAND } from './crisis-head-threshold';
import { loadCrisisHeadTrainingLines } from './crisis-head-data';
import type { VietnameseMarkRestorer } from './vietnamese-marks';
import type { CrisisHeadResult } from './crisis-head-job';
import { EverydayPhrases } from './everyday-phrases';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';
import { fitLexicalBundle, type LexicalBundle, type NluJobRequest, type NluJobResult } from './nlu-jobs';
import { TransformerClassifier } from './transformer-classifier';
import { EncoderHost } from './encoder-host';
import { TransformerEmbedder } from './transformer-embedder';

export type NluMode = 'transformer' | 'lexical';

export interface NluStatus {
  mode: NluMode;
  model: string;
  /** True while the lexical fallback answers (model missing, failed, or still loading). */
  degraded: boolean;
  /** True while the encoder loads or the first intent model is found or trained. */
  loading: boolean;
  /** False until the lexical classifier fitted on intents/ is installed (turns wait for it). */
  ready: boolean;
  reason?: string;
  intents: number;
  examples: number;
  /** Where the transformer intent model in use came from: saved for the same inputs, or trained now. */
  modelSource?: 'cache' | 'trained';
  /** How the transformer intent model was tuned (when loaded). */
  tuning?: Pick<
    ModelTuning,
    | 'source'
    | 'examples'
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

/**
 * Lexical parts already fitted, by intent data: identical data gives identical parts, so another
 * service in the same process (tests, tools) installs them without a job. Read-only once built.
 */
const FITTED = new Map<string, { lexical: LexicalClassifier; detector: HybridLanguageDetector }>();

export class NluService {
  private classifierImpl?: IntentClassifier;
  private lexical?: LexicalClassifier;
  private data: IntentData;
  private dataHash: string;
  private mode: NluMode = 'lexical';
  private reason?: string;
  private loading = false;
  private modelSource?: 'cache' | 'trained';
  private encoder?: TransformerEmbedder;
  /** The encoder behind the embedding cache, for training data (never for residents' messages). */
  private bulkEncoder?: Embedder;
  private transformer?: TransformerClassifier;
  /** The learned crisis head (transformer mode), installed with the intent model. */
  private crisisHead?: CrisisHead;
  /** Restores the marks of Vietnamese typed without them before the crisis head reads it. */
  private markRestorer?: VietnameseMarkRestorer;
  private options?: NluStartOptions;
  private started?: Promise<void>;
  private encoderSettled?: () => void;
  private readonly encoderReady = new Promise<void>((resolve) => (this.encoderSettled = resolve));
  private training: Promise<void> = Promise.resolve();
  private lexicalFitted: Promise<void>;
  private watcher?: fs.FSWatcher;
  private watchTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly jobs = new JobThread<NluJobRequest, NluJobResult>(
    workerFile(__dirname, 'nlu-worker'),
    'NLU training thread',
  );
  /** Seed sentences only (cheap) until the detector fitted on the intent examples arrives. */
  private detector = new HybridLanguageDetector();
  /** Answers until the lexical classifier is installed, by waiting for it. */
  private readonly pending: IntentClassifier = {
    name: 'starting',
    classify: async (text, language) => {
      // A reload during start-up replaces the fit being waited for; wait for the newest.
      while (!this.classifierImpl && !this.closed) await this.lexicalFitted;
      if (!this.classifierImpl) throw new Error('NLU is closed');
      return this.classifierImpl.classify(text, language);
    },
  };
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
    this.crisis = LexiconCrisisDetector.fromFile(this.crisisLexiconFile);
    this.crisisJudge = new ContextualCrisisJudge(
      this.crisis,
      EverydayPhrases.fromFile(path.join(intentsDir, 'lexicons', 'everyday.json')),
      () => this.classifier(),
      () => (this.mode === 'transformer' ? this.crisisHead : undefined),
      () => this.markRestorer,
    );
    this.reason = 'transformer model not loaded';
    this.lexicalFitted = this.fitLexical(this.data, this.dataHash);
  }

  /** Queues a lexical fit behind the running one: one at a time, superseded ones skipped. */
  private refitLexical(data: IntentData, hash: string): Promise<void> {
    this.lexicalFitted = this.lexicalFitted.then(() => this.fitLexical(data, hash));
    return this.lexicalFitted;
  }

  private static hash(data: IntentData): string {
    return crypto
      .createHash('sha256')
      .update(JSON.stringify(data.examples.map((e) => [e.text, e.intent, e.language])))
      .digest('hex');
  }

  private get crisisLexiconFile(): string {
    return path.join(this.intentsDir, 'lexicons', 'crisis.json');
  }

  /**
   * Fits the lexical classifier and the language detector in the training thread and installs them
   * if `data` is still current. Never rejects: if the thread cannot run, they are fitted here
   * (blocking, but a classifier is needed) and the error is logged.
   */
  private async fitLexical(data: IntentData, hash: string): Promise<void> {
    if (this.closed || data !== this.data) return; // Superseded: the newer data's fit is queued.
    let fitted = FITTED.get(hash);
    if (!fitted) {
      let bundle: LexicalBundle;
      try {
        bundle = (await this.jobs.run({ type: 'lexical', examples: data.examples })) as LexicalBundle;
      } catch (err) {
        if (this.closed) return;
        this.logger.error(
          { err },
          'NLU training thread failed; fitting the lexical classifier on the event loop',
        );
        bundle = fitLexicalBundle(data.examples);
      }
      // Receiving the bundle took a turn of the event loop; each part is rebuilt in a turn of its own.
      await yieldToLoop();
      const lexical = new LexicalClassifier(bundle.lexical);
      await yieldToLoop();
      fitted = { lexical, detector: new HybridLanguageDetector(bundle.detector) };
      FITTED.set(hash, fitted);
      if (FITTED.size > 4) FITTED.delete(FITTED.keys().next().value!);
    }
    if (this.closed || data !== this.data) return; // Newer data arrived meanwhile; its fit installs.
    this.lexical = fitted.lexical;
    this.detector = fitted.detector;
    if (this.mode === 'lexical') this.classifierImpl = this.lexical;
  }

  /** Resolves once the lexical classifier fitted on the intent data is installed (turns can run). */
  ready(): Promise<void> {
    return this.lexicalFitted;
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
      await this.lexicalFitted;
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
      this.bulkEncoder = options.cacheDir
        ? new CachingEmbedder(
            encoder,
            path.join(options.cacheDir, 'embeddings'),
            encoder.location.fingerprint,
          )
        : encoder;
      this.encoderSettled?.();
      this.logger.info(
        { model: encoder.name, loadMs: encoder.loadMs, dimension: encoder.dimension },
        'encoder loaded',
      );
      await this.lexicalFitted;
      await this.retrain();
    } catch (err) {
      if (!this.closed) {
        await this.lexicalFitted;
        this.degrade(`transformer unavailable: ${err instanceof Error ? err.message : String(err)}`);
      }
    } finally {
      this.loading = false;
      this.encoderSettled?.();
    }
  }

  /** Finds or trains the transformer intent model for the current data and swaps it in; on failure, degrades. */
  private retrain(): Promise<void> {
    const runner: IntentModelRunner = {
      run: async (request, options) => (await this.jobs.run(request, options)) as IntentModelResult,
    };
    const attempt = async () => {
      const encoder = this.encoder;
      if (!encoder || this.closed) return;
      const data = this.data;
      const started = performance.now();
      const { model, cached } = await trainIntentModel({
        embedder: this.bulkEncoder ?? encoder,
        fingerprint: encoder.location.fingerprint,
        modelCacheDir: this.options?.cacheDir ? path.join(this.options.cacheDir, 'intent-models') : undefined,
        examples: data.examples,
        detector: this.language,
        crisisLexiconFile: this.crisisLexiconFile,
        options: { signal: this.abort.signal },
        runner,
      });
      if (this.closed || data !== this.data) return; // Closed, or newer data arrived meanwhile.
      const head = await this.findCrisisHead(data);
      if (this.closed || data !== this.data) return;
      this.crisisHead = head;
      this.transformer = new TransformerClassifier(encoder, model, this.language, this.lexical);
      this.modelSource = cached ? 'cache' : 'trained';
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

  /**
   * Finds or trains the learned crisis head for the current data (training thread, cached under
   * <cacheDir>/crisis-heads). Undefined when it cannot be built: the hand-written context rules
   * decide then, and the logs say why.
   */
  private async findCrisisHead(data: IntentData): Promise<CrisisHead | undefined> {
    const encoder = this.encoder;
    if (!encoder) return undefined;
    const runner: CrisisHeadRunner = {
      run: async (request, options) => (await this.jobs.run(request, options)) as CrisisHeadResult,
    };
    try {
      const started = performance.now();
      const dataDir = path.join(this.intentsDir, 'crisis-head');
      const { lines, restorer } = await loadCrisisHeadTrainingLines(dataDir, data.examples);
      this.markRestorer = restorer;
      const { head, cached, threshold, stale } = await buildCrisisHead({
        embedder: this.bulkEncoder ?? encoder,
        fingerprint: encoder.location.fingerprint,
        lines,
        dataDir,
        lexiconDir: path.join(this.intentsDir, 'lexicons'),
        cacheDir: this.options?.cacheDir ? path.join(this.options.cacheDir, 'crisis-heads') : undefined,
        runner,
        signal: this.abort.signal,
      });
      if (stale) this.logger.info({ stale, refresh: CRISIS_HEAD_THRESHOLD_COMMAND }, `stored crisis-head threshold not used (${stale}): the threshold is cross-validated (minutes at a fresh start); ${CRISIS_HEAD_THRESHOLD_COMMAND} refreshes it`);
      this.logger.info({ ms: Math.round(performance.now() - started), cached, threshold, thresholdSource: stale ? 'cross-validated' : 'stored', lines: lines.length }, 'crisis head ready');
      return head;
    } catch (err) {
      if (!this.closed) this.logger.error({ err }, 'crisis head unavailable; the hand-written crisis rules decide');
      return undefined;
    }
  }

  /** The current classifier; before the lexical one is installed, one that waits for it. */
  classifier(): IntentClassifier {
    return this.classifierImpl ?? this.pending;
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
   * The encoder behind the disk embedding cache, for bulk texts that recur across restarts and
   * rebuilds (training examples, FAQ entries), never for residents' messages (unbounded).
   */
  bulkEmbedder(): Embedder | undefined {
    return this.bulkEncoder;
  }

  /** Identity of the loaded encoder's weights (keys caches of what it embedded), else undefined. */
  embedderFingerprint(): string | undefined {
    return this.encoder?.location.fingerprint;
  }

  /**
   * Resolves as soon as the encoder has loaded (with it, before the intent model is trained), or
   * with undefined once loading has failed or is not wanted. Before start() it waits for start().
   */
  async embedderReady(): Promise<Embedder | undefined> {
    await this.encoderReady;
    return this.encoder;
  }

  /**
   * Resolves once start() has settled: the transformer intent model in use, or the lexical fallback
   * chosen. Before start() it waits for start(); never rejects.
   */
  async settled(): Promise<void> {
    await this.encoderReady;
    await this.started?.catch(() => undefined);
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
    this.modelSource = undefined;
    this.logger.warn({ reason }, 'NLU running in degraded lexical mode: counselors are offered sooner');
  }

  /**
   * Re-reads intents/, refits the lexical classifier and retrains the transformer model (when
   * loaded), all in the training thread, and swaps them in. Resolves when the new classifier is in use.
   * @throws Error naming the bad file when the intent data is invalid (the old classifier stays)
   */
  async reload(): Promise<void> {
    const data = loadIntentData(this.intentsDir);
    const hash = NluService.hash(data);
    if (hash === this.dataHash) return this.training;
    this.data = data;
    this.dataHash = hash;
    this.logger.info({ examples: data.examples.length }, 'intent data reloaded');
    await this.refitLexical(data, hash);
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

  /** Cancels training (the thread is terminated), frees the encoder's model and stops the folder watch. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.encoderSettled?.();
    clearTimeout(this.watchTimer);
    this.watcher?.close();
    await this.jobs.close();
    // Closing the encoder first rejects the training data's embeddings in flight, so a shutdown
    // during start-up does not wait minutes for them.
    await this.encoder?.close();
    await this.lexicalFitted.catch(() => undefined);
    await this.started?.catch(() => undefined);
    await this.training.catch(() => undefined);
  }

  status(): NluStatus {
    const tuning = this.mode === 'transformer' ? this.transformer?.model.tuning : undefined;
    return {
      mode: this.mode,
      model: this.classifier().name,
      degraded: this.mode === 'lexical',
      loading: this.loading,
      ready: this.classifierImpl !== undefined,
      ...(this.reason && { reason: this.loading ? 'loading the transformer model' : this.reason }),
      intents: this.data.definitions.size,
      examples: this.data.examples.length,
      ...(tuning && this.modelSource && { modelSource: this.modelSource }),
      ...(tuning && {
        tuning: {
          source: tuning.source,
          examples: tuning.examples,
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
