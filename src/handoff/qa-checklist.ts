/**
 * The QA checklist as data (knowledge/qa/checklist.json by default, QA_CHECKLIST to change it):
 * validated at start-up with every bad field named, and the scoring rule over it.
 *
 * Scoring: each item passes, fails or (where allowed) does not apply. The score is the weight of
 * the items passed over the weight of the items that apply, 0–100 with one decimal; a failed
 * critical item makes the score 0 (the raw score is kept beside it). A failed item needs a comment,
 * so the counselor reads why.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { QaAnswer, QaChecklist, QaChecklistItem, QaResult } from '../core/qa-port';
import { QA_RESULTS } from '../core/qa-port';

const text = z.object({ ko: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) }).strict();
const id = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (at most 40), starting with a letter');

const itemSchema = z
  .object({
    id,
    text,
    guide: text.optional(),
    weight: z.number().int().min(1).max(100),
    critical: z.boolean().default(false),
    allowNa: z.boolean().default(false),
  })
  .strict();

export const checklistSchema = z
  .object({
    version: z.string().trim().min(1).max(40),
    title: text,
    groups: z
      .array(z.object({ id, title: text, items: z.array(itemSchema).min(1).max(200) }).strict())
      .min(1)
      .max(30),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.groups.forEach((g, gi) =>
      g.items.forEach((item, ii) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'items', ii, 'id'], message: `duplicate item id "${item.id}"` });
        seen.add(item.id);
      }),
    );
    const groupIds = new Set<string>();
    c.groups.forEach((g, gi) => {
      if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'id'], message: `duplicate group id "${g.id}"` });
      groupIds.add(g.id);
    });
  });

/** Field paths as `groups[1].items[0].weight`. */
function fieldPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') || '(root)';
}

/**
 * Parses a checklist.
 * @throws Error listing every bad field (`groups[1].items[0].weight: …`).
 */
export function parseChecklist(raw: unknown, source = 'checklist'): QaChecklist {
  const parsed = checklistSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${source}: invalid QA checklist: ${parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * Reads and validates the checklist file.
 * @throws Error naming the file and every bad field, or that the file is missing or not JSON.
 */
export function loadChecklist(file: string): QaChecklist {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the QA checklist (${(err as Error).message})`, { cause: err });
  }
  return parseChecklist(raw, file);
}

/** Every item of the checklist, in order. */
export function checklistItems(checklist: QaChecklist): QaChecklistItem[] {
  return checklist.groups.flatMap((g) => g.items);
}

/** One reviewer answer as sent by the console. */
export interface AnswerInput {
  itemId: string;
  result: QaResult;
  comment?: string;
}

/** A problem with an answer, by field (`answers[3].comment`). */
export interface AnswerProblem {
  field: string;
  message: string;
}

export interface ScoreResult {
  answers: QaAnswer[];
  score: number;
  rawScore: number;
  criticalFailed: boolean;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Scores a complete set of answers. Returns the problems instead when an item is missing, unknown
 * or answered twice, "not applicable" where the item does not allow it, a failed item has no
 * comment, or no item applies at all.
 */
export function scoreAnswers(checklist: QaChecklist, inputs: readonly AnswerInput[]): ScoreResult | { problems: AnswerProblem[] } {
  const items = new Map(checklistItems(checklist).map((i) => [i.id, i]));
  const problems: AnswerProblem[] = [];
  const seen = new Set<string>();
  inputs.forEach((a, i) => {
    const item = items.get(a.itemId);
    if (!item) problems.push({ field: `answers[${i}].itemId`, message: `unknown item "${a.itemId}"` });
    else if (seen.has(a.itemId)) problems.push({ field: `answers[${i}].itemId`, message: `"${a.itemId}" is answered twice` });
    else if (!QA_RESULTS.includes(a.result)) problems.push({ field: `answers[${i}].result`, message: 'pass, fail or na' });
    else if (a.result === 'na' && !item.allowNa) problems.push({ field: `answers[${i}].result`, message: `"${a.itemId}" always applies` });
    else if (a.result === 'fail' && !a.comment?.trim()) problems.push({ field: `answers[${i}].comment`, message: 'a failed item needs a comment' });
    seen.add(a.itemId);
  });
  for (const id of items.keys()) if (!seen.has(id)) problems.push({ field: 'answers', message: `item "${id}" is not answered` });
  if (problems.length) return { problems };

  const byId = new Map(inputs.map((a) => [a.itemId, a]));
  const answers: QaAnswer[] = [...items.values()].map((item) => {
    const a = byId.get(item.id)!;
    return { itemId: item.id, result: a.result, ...(a.comment?.trim() && { comment: a.comment.trim() }), weight: item.weight, critical: item.critical };
  });
  const applicable = answers.filter((a) => a.result !== 'na');
  const possible = applicable.reduce((s, a) => s + a.weight, 0);
  if (!possible) return { problems: [{ field: 'answers', message: 'at least one item must apply' }] };
  const rawScore = round1((100 * applicable.filter((a) => a.result === 'pass').reduce((s, a) => s + a.weight, 0)) / possible);
  const criticalFailed = applicable.some((a) => a.critical && a.result === 'fail');
  return { answers, rawScore, criticalFailed, score: criticalFailed ? 0 : rawScore };
}
