/** The shipped QA checklist, its validation with field errors, and the scoring rule. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { QaChecklist } from '../../src/core/qa-port';
import { checklistItems, loadChecklist, parseChecklist, scoreAnswers, type AnswerInput } from '../../src/handoff/qa-checklist';
import { startService } from '../support/service';

const small: QaChecklist = {
  version: 't1',
  title: { ko: '시험', en: 'Test' },
  groups: [
    {
      id: 'g',
      title: { ko: '그룹', en: 'Group' },
      items: [
        { id: 'greeting', text: { ko: '인사', en: 'Greeting' }, weight: 10, critical: false, allowNa: false },
        { id: 'accurate', text: { ko: '정확', en: 'Accurate' }, weight: 30, critical: true, allowNa: false },
        { id: 'identity', text: { ko: '본인 확인', en: 'Identity' }, weight: 20, critical: true, allowNa: true },
        { id: 'empathy', text: { ko: '공감', en: 'Empathy' }, weight: 20, critical: false, allowNa: false },
      ],
    },
  ],
};
const answers = (results: Record<string, AnswerInput['result']>, comments: Record<string, string> = {}): AnswerInput[] =>
  Object.entries(results).map(([itemId, result]) => ({ itemId, result, ...(comments[itemId] && { comment: comments[itemId] }) }));

describe('the starter checklist', () => {
  const checklist = loadChecklist(loadConfig({}).qaChecklistFile);

  it('covers chat counselling in Korean and English, with critical items', () => {
    const ids = checklistItems(checklist).map((i) => i.id);
    expect(ids).toEqual(
      expect.arrayContaining(['greeting', 'identity_check', 'accurate_answer', 'plain_language', 'empathy', 'no_hang_up_first', 'close_code', 'follow_up_recorded']),
    );
    for (const item of checklistItems(checklist)) {
      expect(item.text.ko).toMatch(/[가-힣]/);
      expect(item.text.en).toMatch(/[a-z]/);
    }
    expect(checklistItems(checklist).filter((i) => i.critical).map((i) => i.id)).toEqual(expect.arrayContaining(['accurate_answer', 'identity_check', 'privacy']));
    // Identity checks are only needed sometimes.
    expect(checklistItems(checklist).find((i) => i.id === 'identity_check')).toMatchObject({ allowNa: true, critical: true });
  });
});

describe('checklist validation', () => {
  it('names every bad field', () => {
    const bad = {
      version: 'x',
      title: { ko: '제목' },
      groups: [
        { id: 'g1', title: { ko: '가', en: 'A' }, items: [{ id: 'Greeting', text: { ko: '인사', en: 'Hi' }, weight: 0 }] },
        { id: 'g2', title: { ko: '나', en: 'B' }, items: [{ id: 'dup', text: { ko: 'a', en: 'a' }, weight: 5 }, { id: 'dup', text: { ko: 'b', en: 'b' }, weight: 5, extra: 1 }] },
      ],
    };
    let message = '';
    try {
      parseChecklist(bad, 'checklist.json');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^checklist\.json: invalid QA checklist: /);
    expect(message).toContain('title.en:');
    expect(message).toContain('groups[0].items[0].id: lower-case letters');
    expect(message).toContain('groups[0].items[0].weight:');
    expect(message).toContain('groups[1].items[1]: ');
    expect(message).toMatch(/Unrecognized key.*extra/);
  });

  it('reports a duplicate item id at its place', () => {
    const dup = structuredClone(small);
    dup.groups[0]!.items[3]!.id = 'greeting';
    expect(() => parseChecklist(dup)).toThrow(/groups\[0\]\.items\[3\]\.id: duplicate item id "greeting"/);
  });

  it('stops the service at start-up with the field errors of a bad checklist file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qa-checklist-'));
    const file = path.join(dir, 'checklist.json');
    fs.writeFileSync(file, JSON.stringify({ ...small, groups: [{ ...small.groups[0], items: [{ ...small.groups[0]!.items[0], weight: 'heavy' }] }] }));
    await expect(startService({ QA_CHECKLIST: file })).rejects.toThrow(/checklist\.json: invalid QA checklist: groups\[0\]\.items\[0\]\.weight/);
    expect(() => loadChecklist(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the QA checklist/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('scoring', () => {
  it('scores the weight passed over the weight that applies', () => {
    const r = scoreAnswers(small, answers({ greeting: 'pass', accurate: 'pass', identity: 'na', empathy: 'fail' }, { empathy: '공감 표현 없음' }));
    // 10 + 30 passed of 10 + 30 + 20 applicable.
    expect(r).toMatchObject({ score: 66.7, rawScore: 66.7, criticalFailed: false });
    expect('answers' in r && r.answers.map((a) => [a.itemId, a.result, a.weight, a.critical])).toEqual([
      ['greeting', 'pass', 10, false],
      ['accurate', 'pass', 30, true],
      ['identity', 'na', 20, true],
      ['empathy', 'fail', 20, false],
    ]);
  });

  it('fails the whole review on a failed critical item, keeping the raw score', () => {
    const r = scoreAnswers(small, answers({ greeting: 'pass', accurate: 'fail', identity: 'pass', empathy: 'pass' }, { accurate: '잘못된 마감일 안내' }));
    expect(r).toMatchObject({ score: 0, rawScore: 62.5, criticalFailed: true });
  });

  it('refuses incomplete or invalid answers, by field', () => {
    const r = scoreAnswers(small, [
      { itemId: 'greeting', result: 'na' },
      { itemId: 'accurate', result: 'fail' },
      { itemId: 'accurate', result: 'pass' },
      { itemId: 'nope', result: 'pass' },
    ]);
    expect('problems' in r && r.problems).toEqual([
      { field: 'answers[0].result', message: '"greeting" always applies' },
      { field: 'answers[1].comment', message: 'a failed item needs a comment' },
      { field: 'answers[2].itemId', message: '"accurate" is answered twice' },
      { field: 'answers[3].itemId', message: 'unknown item "nope"' },
      { field: 'answers', message: 'item "identity" is not answered' },
      { field: 'answers', message: 'item "empathy" is not answered' },
    ]);
    const allNa = { ...small, groups: [{ ...small.groups[0]!, items: [{ ...small.groups[0]!.items[2]! }] }] };
    expect(scoreAnswers(allNa, [{ itemId: 'identity', result: 'na' }])).toEqual({ problems: [{ field: 'answers', message: 'at least one item must apply' }] });
  });
});
