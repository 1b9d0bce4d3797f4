/** Loads intent definitions (examples and short replies) from the data files in intents/. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS, OUT_OF_SCOPE } from '../core/nlu-port';

const localized = z.record(z.string(), z.array(z.string().min(1)));

export const intentFileSchema = z.object({
  intent: z.string().regex(/^[a-z_]+$/),
  description: z.string().optional(),
  outOfScope: z.boolean().optional(),
  examples: localized,
  /**
   * Classifier-only examples: phrasings that belong to this intent for the classifier but are not
   * questions the FAQ answers, so the FAQ index leaves them out of its intent-example similarity and
   * no-answer samples. For everyday intents, talk that must not be read as crisis ("I'm closing the
   * chat now", "the bus is taking forever"); for crisis_support, crisis said inside an ordinary
   * request, which would otherwise pull such requests away from their FAQ answers.
   */
  lookalikes: localized.optional(),
  reply: z.record(z.string(), z.string()).optional(),
});

export type IntentDefinition = z.infer<typeof intentFileSchema>;

export interface LabeledExample {
  text: string;
  intent: string;
  language: string;
  /** From the intent's `lookalikes`: classifier data only. */
  lookalike?: boolean;
}

/** The examples the FAQ index reads: the intent examples without look-alikes. */
export function faqIntentExamples(examples: readonly LabeledExample[]): LabeledExample[] {
  return examples.filter((e) => !e.lookalike);
}

export interface IntentData {
  definitions: Map<string, IntentDefinition>;
  examples: LabeledExample[];
}

/** Reads every `*.json` directly in `dir`; throws naming the file on a bad one. */
export function loadIntentData(dir: string): IntentData {
  const definitions = new Map<string, IntentDefinition>();
  const examples: LabeledExample[] = [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
    const parsed = intentFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`intents/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const def = parsed.data;
    const known = (INTENTS as readonly string[]).includes(def.intent) || def.intent === OUT_OF_SCOPE;
    if (!known) throw new Error(`intents/${file}: unknown intent name "${def.intent}"`);
    definitions.set(def.intent, def);
    const languages = new Set([...Object.keys(def.examples), ...Object.keys(def.lookalikes ?? {})]);
    for (const language of languages) {
      for (const text of def.examples[language] ?? []) examples.push({ text, intent: def.intent, language });
      for (const text of def.lookalikes?.[language] ?? [])
        examples.push({ text, intent: def.intent, language, lookalike: true });
    }
  }
  return { definitions, examples };
}
