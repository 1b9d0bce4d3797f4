/** The kb:eval command: reads a JSONL set and prints the metrics (text, or one JSON object with --json). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import type { FaqEntry } from '../../src/core/knowledge-port';

const ROOT = path.join(__dirname, '..', '..');
const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');

describe('kb:eval CLI', () => {
  let file: string;
  let picked: FaqEntry[];
  beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kb-eval-')), 'set.jsonl');
    // Questions the FAQ itself holds, from three topics: the retriever finds each one's own entry,
    // so the scores are known without running it. Each question appears twice, once labelled with
    // its entry and once with another topic's entry: exactly half must count as right.
    const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));
    picked = [...new Map(entries.map((e) => [e.intent, e])).values()].slice(0, 3);
    const lines = [
      ...picked.map((e) => ({ text: e.questions.ko![0]!, faq: e.id })),
      ...picked.map((e, i) => ({ text: e.questions.ko![0]!, faq: picked[(i + 1) % 3]!.id })),
      { text: '내일 로또 번호 추천해줘', faq: 'none' },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  });

  it('prints one JSON object with the metrics, scored against the labels', () => {
    const out = execFileSync(
      tsx,
      ['src/knowledge/kb-eval-cli.ts', '--test', file, '--json', '--embedder', 'lexical', '--misses'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const report = JSON.parse(out) as Record<string, unknown> & {
      misses: { expected: string; got: string }[];
    };
    expect(report).toMatchObject({
      questions: 7,
      answerable: 6,
      unanswerable: 1,
      embedder: 'lexical-hashed-tfidf',
      top1Accuracy: 0.5,
    });
    const mislabelled = report.misses.filter((m) => m.expected !== 'none');
    expect(mislabelled.map((m) => [m.got, m.expected])).toEqual(
      picked.map((e, i) => [e.id, picked[(i + 1) % 3]!.id]),
    );
  });

  it('prints a readable summary, and a usage error without --test', () => {
    const out = execFileSync(tsx, ['src/knowledge/kb-eval-cli.ts', '--test', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toMatch(/top-1 accuracy/);
    expect(out).toMatch(/MRR@5/);
    expect(out).toMatch(/no-answer precision/);
    expect(out).toMatch(/no-answer recall/);
    expect(() =>
      execFileSync(tsx, ['src/knowledge/kb-eval-cli.ts'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow();
  });
});
