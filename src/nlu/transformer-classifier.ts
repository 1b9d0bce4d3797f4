/**
 * The intent classifier of normal operation: the e5 encoder's embedding of the message (computed
 * in the worker, micro-batched) fed to the trained IntentModel. If the encoder fails mid-flight,
 * the message is classified by the lexical fallback instead: a resident is never left unanswered.
 */
import {
  CRISIS_INTENT,
  type Classification,
  type Embedder,
  type IntentClassifier,
  type LanguageDetector,
  type QueryVectorOption,
  reusableVector,
} from '../core/nlu-port';
import type { IntentModel } from './intent-model';

/** A classification with the model's crisis signal, for the combined crisis decision. */
export interface TransformerClassification extends Classification {
  /** Calibrated probability of the crisis intent. */
  crisisProbability: number;
  /** Nearest crisis training example minus nearest other example (cosine); see ModelPrediction. */
  crisisMargin?: number;
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
  async classify(text: string, language?: string, options?: QueryVectorOption): Promise<TransformerClassification> {
    // The same text's embedding from earlier in the turn (the FAQ search's) is the vector a pass would give.
    let vector = reusableVector(this.embedder, options);
    try {
      vector ??= (await this.embedder.embed([text], 'query'))[0];
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
      vector: { encoder: this.embedder.name, values: vector! },
      crisisProbability: prediction.crisisProbability,
      ...(prediction.crisisMargin !== undefined && { crisisMargin: prediction.crisisMargin }),
    };
  }
}
