/**
 * The curated data: FAQ entries and flows load and validate, cover every intent topic, and the
 * held-out evaluation set is large enough, bilingual, and points at real entries.
 */
import path from 'node:path';
import { INTENTS } from '../../src/core/nlu-port';
import { loadFlows } from '../../src/flows/flow-schema';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { readEvalFile } from '../../src/knowledge/kb-eval';

const ROOT = path.join(__dirname, '..', '..');

describe('knowledge data', () => {
  const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));

  it('has at least 80 valid entries with Korean and English questions and answers, a source and a date', () => {
    expect(entries.length).toBeGreaterThanOrEqual(80);
    for (const e of entries) {
      expect(e.questions.ko?.length).toBeGreaterThan(0);
      expect(e.questions.en?.length).toBeGreaterThan(0);
      expect(e.answer.ko).toBeTruthy();
      expect(e.answer.en).toBeTruthy();
      expect(e.source.length).toBeGreaterThan(1);
      expect(e.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('covers every topic the bot answers (all intents but small talk and the counselor request)', () => {
    const covered = new Set(entries.map((e) => e.intent));
    for (const intent of INTENTS.filter((i) => !['greeting', 'thanks_goodbye'].includes(i)))
      expect([intent, covered.has(intent)]).toEqual([intent, true]);
  });

  it('states the crisis lines and the Danuri helpline the issue names', () => {
    const all = entries.map((e) => `${e.answer.ko} ${e.answer.en}`).join('\n');
    for (const number of ['109', '1577-0199', '1577-1366', '120']) expect(all).toContain(number);
  });

  it('loads the guided flows as data', () => {
    const flows = loadFlows(path.join(ROOT, 'knowledge', 'flows'));
    expect([...flows.keys()].sort()).toEqual([
      'complaint_status',
      'facility_fault_report',
      'illegal_parking_report',
      'road_damage_report',
    ]);
    for (const name of ['road_damage_report', 'facility_fault_report', 'illegal_parking_report']) {
      expect(flows.get(name)!.steps.map((s) => s.type)).toEqual(['location', 'text', 'photo', 'confirm']);
    }
  });

  it('has a held-out set of at least 150 Korean and English questions whose answers exist', () => {
    const lines = readEvalFile(path.join(ROOT, 'test', 'fixtures', 'kb', 'heldout.jsonl'));
    expect(lines.length).toBeGreaterThanOrEqual(150);
    const ids = new Set(entries.map((e) => e.id));
    for (const l of lines) if (l.faq !== 'none') expect([l.faq, ids.has(l.faq)]).toEqual([l.faq, true]);
    expect(lines.some((l) => /[\uac00-\ud7a3]/.test(l.text))).toBe(true);
    expect(lines.some((l) => /^[a-zA-Z]/.test(l.text) && !/[\uac00-\ud7a3]/.test(l.text))).toBe(true);
    expect(lines.some((l) => l.faq === 'none')).toBe(true);
    // That no line is copied into the entries, exactly or nearly, is test/nlu/eval-leaks.test.ts.
  });
});
