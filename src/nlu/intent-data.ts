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
  reply: z.record(z.string(), z.string()).optional(),
});

export type IntentDefinition = z.infer<typeof intentFileSchema>;

export interface LabeledExample {
  text: string;
  intent: string;
  language: string;
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
    for (const [language, texts] of Object.entries(def.examples)) {
      for (const text of texts) examples.push({ text, intent: def.intent, language });
    }
  }
  return { definitions, examples };
}
