/**
 * Every CPU-heavy NLU job, as the NLU training thread (nlu-worker.ts) runs it: fitting the lexical
 * classifier and the language detector on the intent examples, and looking up or training the
 * transformer intent model and the learned crisis head. Results are plain data with typed arrays, moved to the main thread
 * without copying, where installing them takes milliseconds.
 */
import type { JobContext, JobOutcome } from '../jobs/serve-jobs';
import { runCrisisHeadJob, type CrisisHeadRequest, type CrisisHeadResult } from './crisis-head-job';
import type { LabeledExample } from './intent-data';
import { runIntentModelJob, type IntentModelRequest, type IntentModelResult } from './intent-model-job';
import { HybridLanguageDetector, type LanguageDetectorState } from './language-detector';
import { LexicalClassifier, type LexicalClassifierState } from './lexical-classifier';

export interface LexicalBundle {
  lexical: LexicalClassifierState;
  detector: LanguageDetectorState;
}

export type NluJobRequest = { type: 'lexical'; examples: LabeledExample[] } | IntentModelRequest | CrisisHeadRequest;

export type NluJobResult = LexicalBundle | IntentModelResult | CrisisHeadResult;

/** Fits the lexical classifier and the language detector (hundreds of ms on intents/). */
export function fitLexicalBundle(examples: LabeledExample[]): LexicalBundle {
  return {
    lexical: new LexicalClassifier(examples).toState(),
    detector: new HybridLanguageDetector(examples).toState(),
  };
}

function buffersOf(bundle: LexicalBundle): ArrayBuffer[] {
  const { lexical, detector } = bundle;
  return [
    lexical.vectorizer.idf.buffer,
    lexical.offsets.buffer,
    lexical.indices.buffer,
    lexical.values.buffer,
    ...detector.languages.map((l) => l.counts.buffer),
  ] as ArrayBuffer[];
}

/** Runs one NLU job (in the training thread, or in-process for command-line tools). */
export async function runNluJob(
  request: NluJobRequest,
  context: JobContext,
): Promise<JobOutcome<NluJobResult>> {
  if (request.type === 'lexical') {
    const bundle = fitLexicalBundle(request.examples);
    return { result: bundle, transfer: buffersOf(bundle) };
  }
  if (request.type === 'crisis-head-lookup' || request.type === 'crisis-head-train')
    return { result: runCrisisHeadJob(request, (m) => context.progress(m)) };
  return { result: await runIntentModelJob(request, (m) => context.progress(m)) };
}
