/**
 * The intent model's training job, as it runs in the NLU training thread (or in-process for the
 * command-line tools): find the model saved for exactly these inputs, or fit it on embedded
 * examples and save it. Saved models are keyed by everything that determines them: the recipe
 * version (INTENT_MODEL_FORMAT), the encoder's weights, the settings, the examples and the crisis
 * lexicon's verdict on each example.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { saveCacheFile } from '../jobs/cache-files';
import { CRISIS_INTENT } from '../core/nlu-port';
import type { LabeledExample } from './intent-data';
import { INTENT_MODEL_FORMAT, type EmbeddedExample, type SerializedIntentModel } from './intent-model';
import { fitIntentModel, type IntentModelOptions } from './intent-training';
import type { LanguageVector } from './language-centering';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';

/** Training settings that can cross a thread boundary (no callbacks, no signal). */
export type IntentModelSettings = Omit<
  IntentModelOptions,
  'onProgress' | 'crisisLexicon' | 'signal' | 'reference'
>;

/** What a model is trained from. */
export interface IntentModelSpec {
  /** Identity of the encoder's weights. */
  fingerprint: string;
  examples: LabeledExample[];
  /** Validation examples (benchmarks); without them the examples are cross-validated. */
  valid?: LabeledExample[];
  /** Texts in other languages for the centring means (the project's own intent examples). */
  reference?: LabeledExample[];
  /** The crisis lexicon (a file) the model's crisis threshold complements. */
  crisisLexiconFile?: string;
  settings?: IntentModelSettings;
  /** Folder of saved models; undefined = never load or save. */
  modelCacheDir?: string;
}

/** Embeddings of a spec's texts, row after row, with the languages to train under. */
export interface EmbeddedSpec {
  dimension: number;
  examples: EmbeddedRows;
  valid?: EmbeddedRows;
  reference?: EmbeddedRows;
}

/** Vectors row after row; a language is undefined where it could not be told. */
export interface EmbeddedRows {
  vectors: Float32Array;
  languages: (string | undefined)[];
}

export type IntentModelRequest =
  | { type: 'intent-lookup'; spec: IntentModelSpec }
  | { type: 'intent-train'; spec: IntentModelSpec; embedded: EmbeddedSpec };

export interface IntentModelResult {
  key: string;
  /** The saved or trained model; absent when a lookup found nothing. */
  model?: SerializedIntentModel;
  cached: boolean;
}

const strip = (examples?: LabeledExample[]) => examples?.map((e) => [e.text, e.intent, e.language]);

/** Key of a trained model: everything that determines it. */
export function intentModelKey(spec: IntentModelSpec, crisis?: LexiconCrisisDetector): string {
  return (
    crypto
      .createHash('sha256')
      // The crisis lexicon shapes the crisis threshold, so its behaviour on the examples is part of the key.
      .update(
        JSON.stringify([
          INTENT_MODEL_FORMAT,
          spec.fingerprint,
          spec.settings ?? {},
          strip(spec.examples),
          strip(spec.valid),
          strip(spec.reference),
          spec.examples.map((e) => crisis?.isCrisis(e.text) ?? null),
        ]),
      )
      .digest('hex')
      .slice(0, 24)
  );
}

function loadSaved(file: string): SerializedIntentModel | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SerializedIntentModel;
    return saved.format === INTENT_MODEL_FORMAT ? saved : undefined;
  } catch {
    return undefined; // Missing, torn or unreadable: train.
  }
}

function save(file: string, model: SerializedIntentModel): void {
  saveCacheFile(file, JSON.stringify(model));
}

function embedded(examples: LabeledExample[], rows: EmbeddedRows, dimension: number): EmbeddedExample[] {
  return examples.map((e, i) => ({
    text: e.text,
    intent: e.intent,
    language: rows.languages[i],
    vector: rows.vectors.subarray(i * dimension, (i + 1) * dimension),
  }));
}

/**
 * Looks a model up, or trains (and saves) one.
 * @throws Error when training fails (e.g. fewer than two intents)
 */
export async function runIntentModelJob(
  request: IntentModelRequest,
  progress: (message: string) => void = () => undefined,
): Promise<IntentModelResult> {
  const { spec } = request;
  const crisis = spec.crisisLexiconFile ? LexiconCrisisDetector.fromFile(spec.crisisLexiconFile) : undefined;
  const key = intentModelKey(spec, crisis);
  const file = spec.modelCacheDir ? path.join(spec.modelCacheDir, `${key}.json`) : undefined;
  const saved = file ? loadSaved(file) : undefined;
  if (saved) return { key, model: saved, cached: true };
  if (request.type === 'intent-lookup') return { key, cached: false };

  const { dimension } = request.embedded;
  const train = embedded(spec.examples, request.embedded.examples, dimension);
  const valid =
    spec.valid && request.embedded.valid
      ? embedded(spec.valid, request.embedded.valid, dimension)
      : undefined;
  const reference: LanguageVector[] =
    spec.reference && request.embedded.reference
      ? embedded(spec.reference, request.embedded.reference, dimension).map((e) => ({
          language: e.language ?? 'und',
          vector: e.vector,
        }))
      : [];
  const model = await fitIntentModel(
    train,
    {
      crisisIntent: CRISIS_INTENT,
      targetOosRecall: 0.9,
      ...(crisis && { crisisLexicon: (t: string) => crisis.isCrisis(t) }),
      ...spec.settings,
      onProgress: progress,
      reference,
    },
    valid,
  );
  const serialized = model.toJSON();
  if (file) save(file, serialized);
  return { key, model: serialized, cached: false };
}
