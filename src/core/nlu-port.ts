/** Ports for language understanding; implementations live in src/nlu. */
import { CRISIS_INTENT, OUT_OF_SCOPE, type IntentName } from './intents';
import type { Language } from './message';

export interface IntentPrediction {
  intent: IntentName;
  confidence: number;
}

export interface Classification {
  /** Best intent, or 'out_of_scope' when the classifier is not confident enough. */
  intent: IntentName;
  confidence: number;
  /** Ranked predictions, best first. */
  top: IntentPrediction[];
  /** Name of the model that produced it (e.g. 'lexical-tfidf', 'multilingual-e5-small'). */
  model: string;
  /**
   * The text's query embedding when an encoder made one (transformer), so the FAQ search of the
   * same text in the same turn reuses it instead of a second encoder pass. Not for storing or logging.
   */
  vector?: QueryVector;
}

/** A text's query embedding (`query: ` form) and the encoder that made it. */
export interface QueryVector {
  /** The embedder's name; a vector is only reused by an embedder of the same name and dimension. */
  encoder: string;
  values: Float32Array;
}

/** Lets a caller hand over an embedding of the same text already made in this turn. */
export interface QueryVectorOption {
  vector?: QueryVector;
}

/**
 * The handed-over vector when `embedder` would make the same one (same encoder, same dimension),
 * else undefined: then the caller embeds the text itself.
 */
export function reusableVector(embedder: Pick<Embedder, 'name' | 'dimension'>, options?: QueryVectorOption): Float32Array | undefined {
  const v = options?.vector;
  return v && v.encoder === embedder.name && v.values.length === embedder.dimension ? v.values : undefined;
}

export interface IntentClassifier {
  readonly name: string;
  /** @param options.vector the text's query embedding from earlier in the turn (skips the encoder when it matches) */
  classify(text: string, language?: Language, options?: QueryVectorOption): Promise<Classification>;
}

export interface LanguageDetector {
  /** Best guess of the message language, or undefined when there is nothing to go on. */
  detect(text: string): Language | undefined;
}

export interface CrisisDetector {
  /** True when the text shows self-harm, suicide or acute danger. High recall by design. */
  isCrisis(text: string): boolean;
}

export interface AbuseDetector {
  /** True when the text insults, swears at or harasses the reader. */
  isAbusive(text: string): boolean;
}

/**
 * Turns texts into dense, L2-normalised vectors for semantic similarity (intent model, FAQ retrieval).
 * `kind` selects the encoder's query or passage form (e5 prefixes `query: ` / `passage: `).
 */
export interface Embedder {
  readonly name: string;
  readonly dimension: number;
  embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]>;
  /**
   * Bulk form of `embed` (training data, FAQ texts): the rows in one array, row i at
   * `[i * dimension, (i + 1) * dimension)`, an own buffer the caller may transfer to a thread.
   * Optional; where given, thousands of texts cost a few large allocations instead of one array
   * (and one buffer) per text, which kept the main heap's garbage collector busy for long pauses.
   */
  embedRows?(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array>;
}

/** `embedder.embedRows`, or `embed` packed into one array by row where it is not given. */
export async function embedAsRows(
  embedder: Embedder,
  texts: string[],
  kind: 'query' | 'passage',
): Promise<Float32Array> {
  if (embedder.embedRows) return embedder.embedRows(texts, kind);
  const vectors = await embedder.embed(texts, kind);
  const dimension = vectors[0]?.length ?? embedder.dimension;
  const out = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => out.set(v, i * dimension));
  return out;
}

export { CRISIS_INTENT, INTENTS, OUT_OF_SCOPE, type IntentName, type KnownIntent } from './intents';

/**
 * A message of one or two letters ("계속", "네", "ok") carries too little for a statistical
 * classifier to call a crisis: with many crisis examples, a bare word shared with some of them
 * ("계속") scored as one. Such a verdict gives way to the runner-up; short explicit words ("자살")
 * are the crisis lexicon's job, which still applies. Used wherever the service's verdict is formed.
 */
export function withoutShortTextCrisis(c: Classification, text: string): Classification {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (c.intent !== CRISIS_INTENT || letters >= 3) return c;
  const next = c.top.find((t) => t.intent !== CRISIS_INTENT);
  return next
    ? { ...c, intent: next.intent, confidence: next.confidence }
    : { ...c, intent: OUT_OF_SCOPE, confidence: 0 };
}
