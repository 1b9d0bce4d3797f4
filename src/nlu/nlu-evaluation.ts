/**
 * One evaluation run: train the transformer intent model (on intents/ or on a given file), then
 * classify every test message one at a time, as a resident's message would be, timing each call.
 * Shared by the nlu:eval CLI and the NLP.js comparison benchmark.
 */
import path from 'node:path';
import { CRISIS_INTENT, withoutShortTextCrisis, type CrisisDetector } from '../core/nlu-port';
import { CachingEmbedder } from './embedding-cache';
import { loadIntentData, type LabeledExample } from './intent-data';
import type { ModelTuning } from './intent-model';
import type { IntentModelOptions } from './intent-training';
import { HybridLanguageDetector } from './language-detector';
import { LexiconCrisisDetector } from './lexicon-crisis-detector';
import { scoreRecords, type EvalRecord, type EvalReport } from './nlu-metrics';
import { trainIntentModel } from './intent-model-builder';
import { TransformerClassifier } from './transformer-classifier';
import { TransformerEmbedder } from './transformer-embedder';

export interface EvaluationInput {
  test: LabeledExample[];
  /** Training examples; undefined = the project's intents/ data. */
  train?: LabeledExample[];
  valid?: LabeledExample[];
  intentsDir: string;
  modelDir: string;
  quantized?: boolean;
  /** Embedding cache root (training data always; test data too with `cachedTest`). */
  cacheDir: string;
  /** Embed test messages through the cache in bulk: fast re-runs, no latency figures. */
  cachedTest?: boolean;
  options?: IntentModelOptions;
  onProgress?: (message: string) => void;
}

export interface EvaluationResult extends EvalReport {
  /** Extra context (not part of the stable contract): how the model was tuned, and crisis recall without the lexicon. */
  details: {
    train: number;
    trainSource: string;
    tuning: ModelTuning;
    crisisRecallModelOnly: number | null;
    /** Misclassified messages (text mode prints them). */
    errors: { text: string; gold: string; predicted: string }[];
  };
}

/** Runs one evaluation; the caller owns nothing afterwards (the encoder worker is closed). */
export async function runEvaluation(input: EvaluationInput): Promise<EvaluationResult> {
  const progress = input.onProgress ?? (() => undefined);
  const intents = loadIntentData(input.intentsDir);
  const detector = new HybridLanguageDetector(intents.examples);
  const crisisLexiconFile = path.join(input.intentsDir, 'lexicons', 'crisis.json');
  const crisis: CrisisDetector = LexiconCrisisDetector.fromFile(crisisLexiconFile);
  progress(`loading encoder from ${input.modelDir}`);
  const encoder = await TransformerEmbedder.load({
    modelDir: input.modelDir,
    quantized: input.quantized ?? true,
  });
  try {
    const train = input.train ?? intents.examples;
    progress(`embedding ${train.length} training examples (cached on disk) and training`);
    const { model } = await trainIntentModel({
      embedder: encoder,
      fingerprint: encoder.location.fingerprint,
      cacheDir: input.cacheDir,
      examples: train,
      valid: input.valid,
      // The project's own multilingual examples give centring means for languages the file lacks.
      reference: input.train ? intents.examples : undefined,
      detector,
      crisisLexiconFile,
      options: { onProgress: progress, ...input.options },
    });
    progress(`model trained in ${model.tuning.trainMs} ms; classifying ${input.test.length} test messages`);
    const classifier = new TransformerClassifier(encoder, model, detector);
    const records: (EvalRecord & { modelCrisis: boolean; text: string })[] = [];
    if (input.cachedTest) {
      const cached = new CachingEmbedder(encoder, input.cacheDir, encoder.location.fingerprint);
      const vectors = await cached.embed(
        input.test.map((t) => t.text),
        'query',
      );
      input.test.forEach((t, i) => {
        const p = model.predict(t.text, vectors[i]!, t.language || detector.detect(t.text));
        const predicted = withoutShortTextCrisis(
          { intent: p.crisis ? CRISIS_INTENT : p.intent, confidence: 0, top: p.ranked, model: '' },
          t.text,
        ).intent;
        records.push({
          text: t.text,
          gold: t.intent,
          predicted,
          crisis: crisis.isCrisis(t.text) || predicted === CRISIS_INTENT,
          modelCrisis: predicted === CRISIS_INTENT,
        });
      });
    } else {
      for (const [i, t] of input.test.entries()) {
        const started = performance.now();
        const c = withoutShortTextCrisis(await classifier.classify(t.text), t.text);
        const latencyMs = performance.now() - started;
        records.push({
          text: t.text,
          gold: t.intent,
          predicted: c.intent,
          latencyMs,
          crisis: crisis.isCrisis(t.text) || c.intent === CRISIS_INTENT,
          modelCrisis: c.intent === CRISIS_INTENT,
        });
        if ((i + 1) % 1000 === 0) progress(`classified ${i + 1}/${input.test.length}`);
      }
    }
    const report = scoreRecords(
      records,
      `${encoder.name} + ${model.tuning.lexicalWeight > 0 ? 'n-gram ' : ''}LR head`,
    );
    const crisisGold = records.filter((r) => r.gold === CRISIS_INTENT);
    return {
      ...report,
      details: {
        train: train.length,
        trainSource: input.train ? 'file' : 'intents/',
        tuning: model.tuning,
        errors: records
          .filter((r) => r.gold !== r.predicted)
          .map(({ text, gold, predicted }) => ({ text, gold, predicted })),
        crisisRecallModelOnly: crisisGold.length
          ? Math.round((crisisGold.filter((r) => r.modelCrisis).length / crisisGold.length) * 1e4) / 1e4
          : null,
      },
    };
  } finally {
    await encoder.close();
  }
}
