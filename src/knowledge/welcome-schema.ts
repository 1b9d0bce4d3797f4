/**
 * The welcome data (knowledge/welcome.json): the first message of a chat and its starter topics,
 * validated like the other knowledge data (see knowledge/README.md for the rules).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { INTENTS } from '../core/nlu-port';

/** Starter topics at most: quick-reply rows on the channels are short. */
export const MAX_WELCOME_TOPICS = 8;
/** Longest topic label, in code points (a button, not a sentence). */
export const MAX_TOPIC_LABEL = 20;

/** A map by language code that has Korean and English at least (other languages fall back to them). */
function localized(item: z.ZodString) {
  return z.record(z.string().regex(/^[a-z]{2,3}$/, 'must be a language code'), item).superRefine((map, ctx) => {
    for (const lang of ['ko', 'en'])
      if (map[lang] === undefined) ctx.addIssue({ code: 'custom', path: [lang], message: `the ${lang === 'ko' ? 'Korean' : 'English'} text is required` });
  });
}

const label = z
  .string()
  .trim()
  .refine((s) => [...s].length >= 1 && [...s].length <= MAX_TOPIC_LABEL, `must be 1 to ${MAX_TOPIC_LABEL} characters`);

export const welcomeSchema = z
  .object({
    message: localized(z.string().trim().min(1).max(1000)),
    topics: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a snake_case id'),
            intent: z.enum(INTENTS, { message: `must be one of the intents (${INTENTS.join(', ')})` }),
            label: localized(label),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_WELCOME_TOPICS)
      .superRefine((topics, ctx) => {
        const seen = new Set<string>();
        topics.forEach((t, i) => {
          if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate topic id "${t.id}"` });
          seen.add(t.id);
        });
      }),
    updatedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  })
  .strict();

/** The validated welcome: its text and starter topics by language. */
export type WelcomeData = z.infer<typeof welcomeSchema>;

/**
 * Reads and validates the welcome file; undefined when there is none (a knowledge folder without a
 * welcome simply opens chats without one).
 * @throws Error naming the file and the first bad field.
 */
export function loadWelcome(file: string): WelcomeData | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = welcomeSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${problems}`);
  }
  return parsed.data;
}
