/** Validation of FAQ entries (data files, admin API, imports), with field paths for 400 answers. */
import { z } from 'zod';
import type { FaqEntry } from '../core/knowledge-port';
import { INTENTS } from '../core/nlu-port';

/** Languages an entry may be written in (the bot's supported set). */
export const FAQ_LANGUAGES = [
  'ko',
  'en',
  'zh',
  'vi',
  'ja',
  'th',
  'ru',
  'mn',
  'uz',
  'ne',
  'km',
  'tl',
  'id',
] as const;
/** Languages every entry must have. */
export const REQUIRED_LANGUAGES = ['ko', 'en'] as const;

const language = z.enum(FAQ_LANGUAGES, {
  message: `must be a supported language code (${FAQ_LANGUAGES.join(', ')})`,
});
const question = z.string().trim().min(2, 'must be at least 2 characters').max(300);

function requireLanguages(what: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const lang of REQUIRED_LANGUAGES) {
      const v = value[lang];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) {
        ctx.addIssue({
          code: 'custom',
          path: [lang],
          message: `${what} in ${lang === 'ko' ? 'Korean' : 'English'} is required`,
        });
      }
    }
  };
}

export const faqEntrySchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,79}$/,
        'must be 2-80 lower-case letters, digits or hyphens, starting with a letter or digit',
      ),
    intent: z.enum(INTENTS, { message: `must be one of the intents (${INTENTS.join(', ')})` }),
    topic: z.string().trim().min(1).max(60),
    questions: z
      .partialRecord(language, z.array(question).max(60))
      .superRefine(requireLanguages('at least one question')),
    answer: z
      .partialRecord(language, z.string().trim().min(5, 'must be at least 5 characters').max(4000))
      .superRefine(requireLanguages('the answer')),
    links: z
      .array(
        z.object({
          title: z.string().trim().min(1).max(200),
          url: z
            .string()
            .url()
            .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
        }),
      )
      .max(10)
      .default([]),
    source: z.string().trim().min(2, 'must name where the facts come from').max(500),
    updatedAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date'),
  })
  .strict();

/** Parses one entry; returns zod's result so callers can turn issues into field errors. */
export function parseFaqEntry(value: unknown) {
  return faqEntrySchema.safeParse(value) as z.ZodSafeParseResult<FaqEntry>;
}
