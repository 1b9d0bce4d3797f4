/** Ports for language understanding; implementations live in src/nlu. */
import type { Language } from './message';

export interface IntentPrediction {
  intent: string;
  confidence: number;
}

export interface Classification {
  /** Best intent, or 'out_of_scope' when the classifier is not confident enough. */
  intent: string;
  confidence: number;
  /** Ranked predictions, best first. */
  top: IntentPrediction[];
  /** Name of the model that produced it (e.g. 'lexical-tfidf', 'multilingual-e5-small'). */
  model: string;
}

export interface IntentClassifier {
  readonly name: string;
  classify(text: string, language?: Language): Promise<Classification>;
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
}

export const OUT_OF_SCOPE = 'out_of_scope';

/** The intent whose prediction escalates at once (the crisis policy). */
export const CRISIS_INTENT = 'crisis_support';

/** The fixed intent label set (evaluation uses these names). */
export const INTENTS = [
  'transport_schedule',
  'road_damage_report',
  'facility_fault_report',
  'illegal_parking_report',
  'waste_collection',
  'water_supply',
  'noise_complaint',
  'civil_documents',
  'local_tax',
  'welfare_benefits',
  'health_services',
  'multicultural_support',
  'complaint_status',
  'counselor_request',
  'crisis_support',
  'greeting',
  'thanks_goodbye',
  // Questions about the 120 center itself (hours, languages, what it does), answered, not handed over.
  'callcenter_info',
  // A deaf or hard-of-hearing resident asking for sign-language or text-only counselling (issue 18).
  'sign_language',
  // Paying or appealing a parking or traffic fine one received (not reporting someone's car).
  'parking_fine',
] as const;
export type IntentName = (typeof INTENTS)[number];

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
