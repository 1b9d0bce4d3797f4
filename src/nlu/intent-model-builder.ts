/**
 * Gets the transformer intent model for a set of examples: the saved one when exactly these inputs
 * were trained before, else embeds the examples (through the encoder, and the embedding cache when
 * given) and trains. The lookup and the training run wherever the runner puts them: the NLU training
 * thread in the service, in-process in command-line tools.
 */
import { embedAsRows, type Embedder, type LanguageDetector } from '../core/nlu-port';
import { yieldToLoop } from '../jobs/yield-to-loop';
import { CachingEmbedder } from './embedding-cache';
import type { LabeledExample } from './intent-data';
import { IntentModel } from './intent-model';
import {
  runIntentModelJob,
  type EmbeddedSpec,
  type IntentModelRequest,
  type IntentModelResult,
  type IntentModelSpec,
} from './intent-model-job';
import type { IntentModelOptions } from './intent-training';

/** Where intent-model jobs run. */
export interface IntentModelRunner {
  run(
    request: IntentModelRequest,
    options: { transfer?: ArrayBuffer[]; onProgress?: (message: string) => void; signal?: AbortSignal },
  ): Promise<IntentModelResult>;
}

/** Runs jobs on the calling thread (command-line tools, benchmarks): blocks, and ignores `signal`. */
export const inProcessRunner: IntentModelRunner = {
  run: (request, options) => runIntentModelJob(request, options.onProgress),
};

export interface TrainClassifierInput {
  embedder: Embedder;
  /** Identity of the encoder's weights (keys the embedding cache and saved models). */
  fingerprint: string;
  /** Embedding cache root; undefined = no disk cache (or `embedder` caches already). */
  cacheDir?: string;
  /** Trained-model cache root: the same data, options and encoder load the saved model instead of retraining. */
  modelCacheDir?: string;
  examples: LabeledExample[];
  /** Validation examples (benchmarks); without them the examples are cross-validated. */
  valid?: LabeledExample[];
  /** Texts in other languages for the centring means (the project's own intent examples). */
  reference?: LabeledExample[];
  /** Languages of examples that lack one. */
  detector: LanguageDetector;
  /** The crisis lexicon file the model's crisis threshold complements (intents/lexicons/crisis.json). */
  crisisLexiconFile?: string;
  /** Settings, progress messages and the signal that abandons training (shutdown). */
  options?: IntentModelOptions;
  /** Default: in-process. */
  runner?: IntentModelRunner;
}

/**
 * The saved model for exactly these inputs, or a newly trained one.
 * @throws Error when training fails; JobCancelledError when abandoned
 */
export async function trainIntentModel(
  input: TrainClassifierInput,
): Promise<{ model: IntentModel; embedder: Embedder; cached: boolean }> {
  const runner = input.runner ?? inProcessRunner;
  const { onProgress, signal, crisisLexicon, reference: _reference, ...settings } = input.options ?? {};
  void crisisLexicon; // The lexicon travels as a file (crisisLexiconFile): functions cannot cross threads.
  const spec: IntentModelSpec = {
    fingerprint: input.fingerprint,
    examples: input.examples,
    ...(input.valid && { valid: input.valid }),
    ...(input.reference && { reference: input.reference }),
    ...(input.crisisLexiconFile && { crisisLexiconFile: input.crisisLexiconFile }),
    settings,
    ...(input.modelCacheDir && { modelCacheDir: input.modelCacheDir }),
  };
  if (input.modelCacheDir) {
    const found = await runner.run({ type: 'intent-lookup', spec }, { signal });
    if (found.model) {
      await yieldToLoop(); // Receiving the model took this turn; rebuilding it gets its own.
      return { model: IntentModel.fromJSON(found.model), embedder: input.embedder, cached: true };
    }
  }
  const embedder = input.cacheDir
    ? new CachingEmbedder(input.embedder, input.cacheDir, input.fingerprint)
    : input.embedder;
  const transfer: ArrayBuffer[] = [];
  const embedAll = async (examples: LabeledExample[]) => {
    // One array of rows, moved to the training thread as it is.
    const packed = await embedAsRows(
      embedder,
      examples.map((e) => e.text),
      'query',
    );
    transfer.push(packed.buffer as ArrayBuffer);
    return { vectors: packed, languages: examples.map((e) => e.language || input.detector.detect(e.text)) };
  };
  const examples = await embedAll(input.examples);
  const embedded: EmbeddedSpec = {
    dimension: examples.vectors.length / input.examples.length || embedder.dimension,
    examples,
    ...(input.valid && { valid: await embedAll(input.valid) }),
    ...(input.reference && { reference: await embedAll(input.reference) }),
  };
  const trained = await runner.run(
    { type: 'intent-train', spec, embedded },
    { transfer, onProgress, signal },
  );
  await yieldToLoop();
  return { model: IntentModel.fromJSON(trained.model!), embedder, cached: trained.cached };
}
