/** Retrieval metrics over a labelled question set: top-1, MRR@5 and no-answer precision/recall. */
import fs from 'node:fs';
import { z } from 'zod';
import type { KnowledgeRetriever } from '../core/knowledge-port';

export const NO_ANSWER = 'none';

const lineSchema = z.object({ text: z.string().min(1), faq: z.string().min(1), lang: z.string().optional() });
export type EvalLine = z.infer<typeof lineSchema>;

/** Reads a JSONL file of `{"text", "faq"}` lines. @throws Error naming the bad line. */
export function readEvalFile(file: string): EvalLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => [l.trim(), i + 1] as const)
    .filter(([l]) => l)
    .map(([l, n]) => {
      const parsed = lineSchema.safeParse(JSON.parse(l));
      if (!parsed.success)
        throw new Error(
          `${file}:${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}

export interface EvalMiss {
  text: string;
  expected: string;
  got: string;
  confidence: number;
}

export interface EvalReport {
  questions: number;
  answerable: number;
  unanswerable: number;
  /** Answerable questions whose best-ranked entry is the expected one (threshold not applied). */
  top1Accuracy: number;
  /** Mean reciprocal rank of the expected entry within the top 5, over answerable questions. */
  mrrAt5: number;
  /** Of the questions the bot declined, the share that really had no answer. */
  noAnswerPrecision: number;
  /** Of the questions that had no answer, the share the bot declined. */
  noAnswerRecall: number;
  /** Share of all questions where the final decision (an entry, or no answer) was right. */
  decisionAccuracy: number;
  /** Share of answerable questions answered with the right entry after the threshold. */
  answeredCorrectly: number;
  misses: EvalMiss[];
}

const ratio = (a: number, b: number) => (b ? a / b : 0);

/** Runs every line through the retriever. Language hint: the line's `lang`, else Hangul → ko, else en. */
export async function evaluate(
  retriever: Pick<KnowledgeRetriever, 'search'>,
  lines: EvalLine[],
): Promise<EvalReport> {
  let top1 = 0;
  let mrr = 0;
  let declined = 0;
  let declinedCorrectly = 0;
  let decisionsRight = 0;
  let answeredRight = 0;
  const misses: EvalMiss[] = [];
  const answerable = lines.filter((l) => l.faq !== NO_ANSWER).length;
  for (const line of lines) {
    const lang = line.lang ?? (/[\uac00-\ud7a3]/.test(line.text) ? 'ko' : 'en');
    const result = await retriever.search(line.text, lang, 5);
    const ids = result.hits.map((h) => h.entry.id);
    const decision = result.answerable ? (result.best?.entry.id ?? NO_ANSWER) : NO_ANSWER;
    if (decision === line.faq) decisionsRight++;
    else
      misses.push({
        text: line.text,
        expected: line.faq,
        got: `${result.best?.entry.id ?? NO_ANSWER}${result.answerable ? '' : ' (declined)'}`,
        confidence: Number(result.confidence.toFixed(3)),
      });
    if (decision === NO_ANSWER) {
      declined++;
      if (line.faq === NO_ANSWER) declinedCorrectly++;
    }
    if (line.faq === NO_ANSWER) continue;
    const rank = ids.indexOf(line.faq);
    if (rank === 0) top1++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    if (decision === line.faq) answeredRight++;
  }
  const unanswerable = lines.length - answerable;
  return {
    questions: lines.length,
    answerable,
    unanswerable,
    top1Accuracy: ratio(top1, answerable),
    mrrAt5: ratio(mrr, answerable),
    noAnswerPrecision: ratio(declinedCorrectly, declined),
    noAnswerRecall: ratio(declinedCorrectly, unanswerable),
    decisionAccuracy: ratio(decisionsRight, lines.length),
    answeredCorrectly: ratio(answeredRight, answerable),
    misses,
  };
}
