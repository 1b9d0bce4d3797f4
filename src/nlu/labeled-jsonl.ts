/** Reads `{"text", "intent"}` JSON lines (evaluation and benchmark files), validating every line. */
import fs from 'node:fs';
import { z } from 'zod';
import type { LabeledExample } from './intent-data';

const lineSchema = z.object({
  text: z.string().min(1),
  intent: z.string().min(1),
  language: z.string().optional(),
});

/**
 * @returns examples with `language` from the line, or '' (to be detected)
 * @throws Error naming the file and line of the first bad line
 */
export function readLabeledJsonl(file: string): LabeledExample[] {
  const out: LabeledExample[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      const parsed = lineSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(
          `${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`,
        );
      out.push({ text: parsed.data.text, intent: parsed.data.intent, language: parsed.data.language ?? '' });
    });
  if (out.length === 0) throw new Error(`${file}: no examples`);
  return out;
}
