/**
 * Evaluation hygiene: no line of an evaluation set (held-out, blind or dev) may appear in the
 * training side — intents/ (lexicons included) or knowledge/ — exactly or nearly (normalised text,
 * character-bigram Jaccard >= 0.9). A leak turns a measurement into a memory test.
 *
 * Failure messages name the training-side file and line only: the evaluation lines stay unread.
 */
import path from 'node:path';
import {
  bigramSet,
  evalTexts,
  filesUnder,
  findLeaks,
  jaccard,
  jsonStringsWithLines,
  normalizeForLeak,
} from '../support/near-duplicates';

const ROOT = path.join(__dirname, '..', '..');

describe('near-duplicate finder', () => {
  const training = [
    { file: 'a.json', line: 3, text: '버스 첫차가 몇 시예요?' },
    { file: 'a.json', line: 4, text: '도로에 구멍이 났어요' },
    { file: 'b.json', line: 9, text: 'When is the recycling picked up in my area on weekends?' },
    { file: 'b.json', line: 10, text: 'Where is the nearest tax office' },
  ];

  it('normalises away spacing, punctuation and case', () => {
    expect(normalizeForLeak('  버스 첫차가, 몇 시예요?! ')).toBe('버스첫차가몇시예요');
    expect(normalizeForLeak('Ｈｅｌｌｏ World')).toBe('helloworld');
    expect(jaccard(bigramSet('abcd'), bigramSet('abcd'))).toBe(1);
    expect(jaccard(bigramSet('abcd'), bigramSet('wxyz'))).toBe(0);
  });

  it('finds exact and near copies, and only those', () => {
    const leaks = findLeaks(
      [
        ['버스첫차가 몇시예요', 'completely different words here'],
        ['When is the recycling picked up in my area on weekend?', '도로 포장 공사 언제 끝나요?'],
      ],
      training,
    );
    expect(leaks).toEqual([
      { file: 'a.json', line: 3, kind: 'exact' },
      { file: 'b.json', line: 9, kind: 'near' },
    ]);
  });

  it('does not call a merely similar sentence a copy', () => {
    expect(findLeaks([['Where is the nearest post office']], training)).toEqual([]);
    expect(findLeaks([['도로에 큰 구멍이 났어요 위험해요']], training)).toEqual([]);
  });

  it('reads JSON string values with their line numbers, not keys', () => {
    const file = path.join(ROOT, 'intents', 'greeting.json');
    const strings = jsonStringsWithLines(file);
    expect(strings.some((s) => s.text === 'greeting' && s.line === 2)).toBe(true);
    expect(strings.some((s) => s.text === 'intent')).toBe(false);
  });
});

describe('evaluation sets stay out of the training side', () => {
  it('finds no evaluation line in intents/, the lexicons or knowledge/', () => {
    const evalFiles = filesUnder(path.join(ROOT, 'test', 'fixtures'), ['.jsonl']);
    expect(evalFiles.length).toBeGreaterThanOrEqual(8);
    const training = [
      ...filesUnder(path.join(ROOT, 'intents'), ['.json']),
      ...filesUnder(path.join(ROOT, 'knowledge'), ['.json']),
    ].flatMap(jsonStringsWithLines);
    expect(training.length).toBeGreaterThan(1000);
    const leaks = findLeaks(evalFiles.map(evalTexts), training).map(
      (l) => `${path.relative(ROOT, l.file)}:${l.line} (${l.kind})`,
    );
    expect(leaks).toEqual([]);
  });
});

describe('the crisis head data holds dev lines only', () => {
  it('finds no blind or held-out line in intents/crisis-head/', () => {
    // Dev sets are the crisis head's training data (copied on purpose); every other evaluation set
    // must stay out of it, or cross-validation and the next blind measurement turn into memory tests.
    const notDev = filesUnder(path.join(ROOT, 'test', 'fixtures'), ['.jsonl']).filter(
      (f) => !/-dev(-\d+)?\.jsonl$/.test(path.basename(f)),
    );
    const training = filesUnder(path.join(ROOT, 'intents', 'crisis-head'), ['.jsonl']).flatMap(jsonStringsWithLines);
    expect(training.length).toBeGreaterThan(1000);
    const leaks = findLeaks(notDev.map(evalTexts), training).map((l) => `${path.relative(ROOT, l.file)}:${l.line} (${l.kind})`);
    expect(leaks).toEqual([]);
  });
});
