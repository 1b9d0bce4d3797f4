/**
 * An intent's look-alikes train the classifier (everyday phrasings that are not crisis; for
 * crisis_support, crisis said inside an ordinary request) but stay out of the FAQ index, whose
 * intent-example similarity and no-answer samples they blurred.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { faqIntentExamples, loadIntentData } from '../../src/nlu/intent-data';

describe('intent look-alikes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intents-'));
    fs.writeFileSync(
      path.join(dir, 'transport_schedule.json'),
      JSON.stringify({
        intent: 'transport_schedule',
        examples: { en: ['When is the last bus?'], ko: ['막차 몇 시예요?'] },
        lookalikes: { en: ['freezing at the stop and the bus still is not here'] },
      }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are classifier examples of their intent, after the examples of their language', () => {
    const { examples } = loadIntentData(dir);
    expect(examples.map((e) => [e.language, e.text, e.lookalike ?? false])).toEqual([
      ['en', 'When is the last bus?', false],
      ['en', 'freezing at the stop and the bus still is not here', true],
      ['ko', '막차 몇 시예요?', false],
    ]);
    expect(examples.every((e) => e.intent === 'transport_schedule')).toBe(true);
  });

  it('are left out of what the FAQ index reads', () => {
    expect(faqIntentExamples(loadIntentData(dir).examples).map((e) => e.text)).toEqual([
      'When is the last bus?',
      '막차 몇 시예요?',
    ]);
  });

  it('are used in the project data only next to real examples of their intent and language', () => {
    const data = loadIntentData(path.join(__dirname, '..', '..', 'intents'));
    const lookalikes = data.examples.filter((e) => e.lookalike);
    expect(lookalikes.length).toBeGreaterThan(0);
    // Every intent with look-alikes still has real examples in each language it has look-alikes in.
    for (const e of lookalikes)
      expect(data.examples.some((x) => !x.lookalike && x.intent === e.intent && x.language === e.language)).toBe(true);
  });
});
