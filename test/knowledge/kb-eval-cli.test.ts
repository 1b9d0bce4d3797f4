/** The kb:eval command: reads a JSONL set and prints the metrics (text, or one JSON object with --json). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');

describe('kb:eval CLI', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kb-eval-')), 'set.jsonl');
    fs.writeFileSync(
      file,
      [
        { text: '음식물 쓰레기 버리는 방법 알려줘', faq: 'waste-food-waste' },
        { text: 'where can i see when my bus arrives', faq: 'transport-bus-info' },
        { text: '내일 로또 번호 추천해줘', faq: 'none' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
  });

  it('prints one JSON object with the metrics', () => {
    const out = execFileSync(
      tsx,
      ['src/knowledge/kb-eval-cli.ts', '--test', file, '--json', '--embedder', 'lexical'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({
      questions: 3,
      answerable: 2,
      unanswerable: 1,
      embedder: 'lexical-hashed-tfidf',
    });
    for (const key of ['top1Accuracy', 'mrrAt5', 'noAnswerPrecision', 'noAnswerRecall']) {
      expect(typeof report[key]).toBe('number');
      expect(report[key] as number).toBeGreaterThanOrEqual(0);
      expect(report[key] as number).toBeLessThanOrEqual(1);
    }
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
