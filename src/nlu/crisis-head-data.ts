/**
 * The crisis head's training lines: the JSONL files of intents/crisis-head/ (copies of the crisis
 * and everyday dev sets and of the bot's button labels; format in docs/crisis-decision.md) and the
 * intents' own examples and look-alikes (crisis_support's as crisis lines, every other intent's as
 * not), read from the loaded intent data so they never go stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CRISIS_INTENT } from '../core/nlu-port';
import type { LabeledExample } from './intent-data';
import { inSlices } from '../jobs/yield-to-loop';
import { VietnameseMarkRestorer } from './vietnamese-marks';

/** One training line; `set` groups lines by the round (writer) they came from. */
export interface CrisisHeadLine {
  text: string;
  crisis: boolean;
  set: string;
}

/**
 * Sets every cross-validation fold trains on (never left out): the intents, the button labels and
 * `crisis-examples` (the crisis lines written for the intent head in rounds 4–6, which left it when
 * its crisis class went back to its pre-issue examples: written by us, not by an independent writer).
 */
export const ALWAYS_TRAINED_SETS: readonly string[] = ['intents', 'button-labels', 'crisis-examples'];

const lineSchema = z.object({
  text: z.string().min(1),
  crisis: z.boolean(),
  set: z.string().min(1),
  language: z.string().optional(),
  context: z.string().optional(),
  kind: z.string().optional(),
});

/**
 * Reads every `*.jsonl` of `dir` (sorted) and adds the intent examples as set "intents".
 * @throws Error naming the file and line of a bad line
 */
export function loadCrisisHeadLines(dir: string, intentExamples: readonly LabeledExample[]): CrisisHeadLine[] {
  const lines: CrisisHeadLine[] = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort() : [];
  for (const file of files) {
    const rows = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    rows.forEach((row, i) => {
      if (!row.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(row);
      } catch {
        throw new Error(`${path.join(dir, file)}:${i + 1}: not JSON`);
      }
      const parsed = lineSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`${path.join(dir, file)}:${i + 1}: ${parsed.error.issues.map((e) => `${e.path.join('.')}: ${e.message}`).join('; ')}`);
      lines.push({ text: parsed.data.text, crisis: parsed.data.crisis, set: parsed.data.set });
    });
  }
  for (const e of intentExamples) lines.push({ text: e.text, crisis: e.intent === CRISIS_INTENT, set: 'intents' });
  return lines;
}

/**
 * The lines as the head reads them: Vietnamese typed without marks restored, as the crisis judge
 * restores a resident's message (the head learns from marked text only). In slices that yield to
 * the event loop: ten thousand lines take about 100 ms.
 */
async function restoreMarks(lines: CrisisHeadLine[], restorer: VietnameseMarkRestorer, slice = 500): Promise<CrisisHeadLine[]> {
  const out: CrisisHeadLine[] = [];
  await inSlices(lines, slice, (some) => {
    for (const l of some) {
      const restored = restorer.restore(l.text);
      out.push(restored ? { ...l, text: restored } : l);
    }
  });
  return out;
}

/**
 * The head's training lines as both the service and `bench:crisis-head` train on them (the bench
 * writes the threshold the service uses, so they must not drift): the written lines with unmarked
 * Vietnamese restored, and the restorer counted on them, which the crisis judge uses for residents.
 */
export async function loadCrisisHeadTrainingLines(
  dir: string,
  intentExamples: readonly LabeledExample[],
): Promise<{ lines: CrisisHeadLine[]; restorer: VietnameseMarkRestorer }> {
  const written = loadCrisisHeadLines(dir, intentExamples);
  const restorer = await VietnameseMarkRestorer.build(written.map((l) => l.text));
  return { lines: await restoreMarks(written, restorer), restorer };
}
