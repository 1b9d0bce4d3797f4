/**
 * Copies the crisis head's training lines that live outside intents/ into intents/crisis-head/:
 *
 *   npm run --silent crisis-head:data
 *
 * - `dev-sets.jsonl`: every line of the crisis and everyday dev sets (test/fixtures/nlu/crisis-dev*.jsonl,
 *   everyday-dev*.jsonl), crisis lines as positives, look-alikes and everyday lines as negatives;
 * - `button-labels.jsonl`: every button label of the bot (bench/button-labels.ts), negatives.
 *
 * Line format (docs/crisis-decision.md, "Round 7"): {"text", "crisis": true|false, "set", "language"?,
 * "context"?, "kind"?}. `set` names the writer's round a line came from: cross-validation leaves one
 * set out at a time. Only dev sets are read; the blind and held-out sets are never opened here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { catalogueLabels } from './button-labels';

const FIXTURES = 'test/fixtures/nlu';
const OUT = 'intents/crisis-head';
const DEV_SET = /^(crisis|everyday)-dev(-\d+)?\.jsonl$/;
/**
 * Dev lines left out because another writer's evaluation line says exactly the same
 * (test/nlu/eval-leaks.test.ts names them by line only): the head must not learn such a line by heart.
 */
const LEFT_OUT = new Set(['hihi']);
/**
 * Dev sets studied but not trained on (docs/crisis-decision.md, "Round 8" and "Round 11"). With
 * round 8's sets in the training data the cross-validated threshold fell from 0.62 to 0.38 and the
 * head flagged conversation stories' everyday lines ("你喜欢吃火锅吗", "I'm sick to death of this…").
 * Round 11 trained on every dev set (rounds 8 to 10 and four training writers): the threshold for
 * 98 % left-out-writer recall fell to 0.36, at 5.5 % everyday false alarms out of set, and the head
 * read "我想吃火锅" ("I want to eat hotpot") as crisis (0.66): the encoder's Chinese "我想…" looks like
 * "我想死". They join when the head separates such lines.
 */
const NOT_TRAINED = new Set([
  ...[8, 9, 10, 11, 12].map((n) => `crisis-dev-${n}.jsonl`),
  ...[7, 8, 9, 10, 11].map((n) => `everyday-dev-${n}.jsonl`),
]);

function main(): void {
  const lines: string[] = [];
  for (const file of fs.readdirSync(FIXTURES).filter((f) => DEV_SET.test(f) && !NOT_TRAINED.has(f)).sort()) {
    const set = file.replace(/\.jsonl$/, '');
    const rows = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').filter((l) => l.trim());
    for (const row of rows) {
      const raw = JSON.parse(row) as { text: string; intent: string; lang?: string; language?: string; context?: string; kind?: string };
      if (LEFT_OUT.has(raw.text.trim().toLowerCase())) continue;
      const language = raw.language ?? raw.lang;
      lines.push(
        JSON.stringify({
          text: raw.text,
          crisis: raw.intent === 'crisis_support',
          set,
          ...(language && { language }),
          ...(raw.context && { context: raw.context }),
          ...(raw.kind && { kind: raw.kind }),
        }),
      );
    }
  }
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'dev-sets.jsonl'), `${lines.join('\n')}\n`);
  const seen = new Set<string>();
  const labels = catalogueLabels('src')
    .filter((l) => !seen.has(l.text) && seen.add(l.text))
    .map((l) => JSON.stringify({ text: l.text, crisis: false, set: 'button-labels', language: l.language }));
  fs.writeFileSync(path.join(OUT, 'button-labels.jsonl'), `${labels.join('\n')}\n`);
  console.log(`${OUT}: ${lines.length} dev-set lines, ${labels.length} button labels`);
}

main();
