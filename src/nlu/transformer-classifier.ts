/**
 * The intent classifier of normal operation: the e5 encoder's embedding of the message (computed
 * in the worker, micro-batched) fed to the trained IntentModel. If the encoder fails mid-flight,
 * the message is classified by the lexical fallback instead: a resident is never left unanswered.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  CRISIS_INTENT,
  type Classification,
  type CrisisDetector,
  type Embedder,
  type IntentClassifier,
  type LanguageDetector,
} from '../core/nlu-port';
import { CachingEmbedder } from './embedding-cache';
import type { LabeledExample } from './intent-data';
import {
  INTENT_MODEL_FORMAT,
  IntentModel,
  type EmbeddedExample,
  type SerializedIntentModel,
} from './intent-model';
import { fitIntentModel, type IntentModelOptions } from './intent-training';
import type { LanguageVector } from './language-centering';

/** A classification with the model's crisis signal, for the combined crisis decision. */
export interface TransformerClassification extends Classification {
  /** Calibrated probability of the crisis intent. */
  crisisProbability: number;
}

export class TransformerClassifier implements IntentClassifier {
  readonly name: string;

  constructor(
    private readonly embedder: Embedder,
    readonly model: IntentModel,
    private readonly detector: LanguageDetector,
    private readonly fallback?: IntentClassifier,
  ) {
    this.name = embedder.name;
  }

  /**
   * Classifies one message. When the model's crisis probability passes its (recall-tuned)
   * threshold the intent becomes `crisis_support`, which the turn pipeline escalates at once.
   */
  async classify(text: string, language?: string): Promise<TransformerClassification> {
    let vector: Float32Array | undefined;
    try {
      [vector] = await this.embedder.embed([text], 'query');
    } catch (err) {
      if (!this.fallback) throw err;
      const lexical = await this.fallback.classify(text, language);
      return { ...lexical, crisisProbability: lexical.intent === CRISIS_INTENT ? lexical.confidence : 0 };
    }
    const prediction = this.model.predict(text, vector!, language ?? this.detector.detect(text));
    const crisis = prediction.crisis && prediction.intent !== CRISIS_INTENT;
    return {
      intent: crisis ? CRISIS_INTENT : prediction.intent,
      confidence: crisis ? prediction.crisisProbability : prediction.confidence,
      top: prediction.ranked.slice(0, 5),
      model: this.name,
      crisisProbability: prediction.crisisProbability,
    };
  }
}

export interface TrainClassifierInput {
  embedder: Embedder;
  /** Identity of the encoder's weights (keys the embedding cache). */
  fingerprint: string;
  /** Embedding cache root; undefined = no disk cache. */
  cacheDir?: string;
  /** Trained-model cache root: the same data, options and encoder load the saved model instead of retraining. */
  modelCacheDir?: string;
  examples: LabeledExample[];
  /** Validation examples (benchmarks); without them the examples are cross-validated. */
  valid?: LabeledExample[];
  /** Texts in other languages for the centring means (the project's own intent examples). */
  reference?: LabeledExample[];
  detector: LanguageDetector;
  /** The crisis lexicon the model's crisis threshold complements. */
  crisis?: CrisisDetector;
  options?: IntentModelOptions;
}

/** Key of a trained model: everything that determines it. */
function modelKey(input: TrainClassifierInput): string {
  const { onProgress, crisisLexicon, signal, ...options } = input.options ?? {};
  void onProgress;
  void crisisLexicon;
  void signal;
  const strip = (examples?: LabeledExample[]) => examples?.map((e) => [e.text, e.intent, e.language]);
  return (
    crypto
      .createHash('sha256')
      // The crisis lexicon shapes the crisis threshold, so its behaviour on the examples is part of the key.
      .update(
        JSON.stringify([
          INTENT_MODEL_FORMAT,
          input.fingerprint,
          options,
          strip(input.examples),
          strip(input.valid),
          strip(input.reference),
          input.examples.map((e) => input.crisis?.isCrisis(e.text) ?? null),
        ]),
      )
      .digest('hex')
      .slice(0, 24)
  );
}

function loadSavedModel(file: string): IntentModel | undefined {
  try {
    return IntentModel.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')) as SerializedIntentModel);
  } catch {
    return undefined; // Missing, torn or from another format: retrain.
  }
}

/**
 * Embeds the examples (through the disk cache) and trains the model behind a TransformerClassifier,
 * or loads the model trained earlier on exactly the same inputs.
 */
export async function trainIntentModel(
  input: TrainClassifierInput,
): Promise<{ model: IntentModel; embedder: Embedder; cached: boolean }> {
  const savedFile = input.modelCacheDir
    ? path.join(input.modelCacheDir, `${modelKey(input)}.json`)
    : undefined;
  const saved = savedFile ? loadSavedModel(savedFile) : undefined;
  if (saved) return { model: saved, embedder: input.embedder, cached: true };
  const embedder = input.cacheDir
    ? new CachingEmbedder(input.embedder, input.cacheDir, input.fingerprint)
    : input.embedder;
  const embedAll = async (examples: LabeledExample[]): Promise<EmbeddedExample[]> => {
    const vectors = await embedder.embed(
      examples.map((e) => e.text),
      'query',
    );
    return examples.map((e, i) => ({
      text: e.text,
      intent: e.intent,
      language: e.language || input.detector.detect(e.text),
      vector: vectors[i]!,
    }));
  };
  const train = await embedAll(input.examples);
  const valid = input.valid ? await embedAll(input.valid) : undefined;
  const reference: LanguageVector[] = input.reference
    ? (await embedAll(input.reference)).map((e) => ({ language: e.language ?? 'und', vector: e.vector }))
    : [];
  const crisis = input.crisis;
  const model = await fitIntentModel(
    train,
    {
      crisisIntent: CRISIS_INTENT,
      targetOosRecall: 0.9,
      ...(crisis && { crisisLexicon: (t: string) => crisis.isCrisis(t) }),
      ...input.options,
      reference,
    },
    valid,
  );
  if (savedFile) {
    try {
      fs.mkdirSync(path.dirname(savedFile), { recursive: true });
      // Write then rename, so a concurrent reader never sees half a file.
      const temp = `${savedFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(model.toJSON()));
      fs.renameSync(temp, savedFile);
    } catch {
      // A read-only disk only costs the next start its training time.
    }
  }
  return { model, embedder, cached: false };
}
