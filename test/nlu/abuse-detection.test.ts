/**
 * Abuse detection for the console: the shared lexicon plus sexual-harassment patterns plus the
 * learned Korean n-gram model. Angry but polite complaints, distress and reports that merely
 * mention sensitive words must pass unflagged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AbuseNgramModel } from '../../src/nlu/abuse-ngram-model';
import { deobfuscate } from '../../src/nlu/abuse-normalize';
import { LexiconAbuseDetector, shippedAbuseModel } from '../../src/nlu/lexicon-abuse-detector';

const lexiconFile = path.join(__dirname, '..', '..', 'intents', 'lexicons', 'abuse.json');
const cases = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'nlu', 'abuse-cases.json'), 'utf8'),
) as {
  abusive: string[];
  not_abusive: string[];
};

describe('abuse detection', () => {
  const detector = LexiconAbuseDetector.fromFile(lexiconFile);

  it.each(cases.abusive)('flags %s', (text) => {
    expect(detector.isAbusive(text)).toBe(true);
  });

  it.each(cases.not_abusive)('does not flag %s', (text) => {
    expect(detector.isAbusive(text)).toBe(false);
  });

  it('matches patterns written with compatibility jamo against normalised text', () => {
    const bare = new LexiconAbuseDetector(['ㅅㅂ']);
    expect(bare.isAbusive('ㅅㅂ 진짜')).toBe(true);
  });

  it('keeps the original constructor: patterns alone, no model', () => {
    const bare = new LexiconAbuseDetector(['\\bidiot\\b']);
    expect(bare.isAbusive('you idiot')).toBe(true);
    expect(bare.isAbusive('씨1발 진짜')).toBe(false);
  });

  it('sees through swearing spelled around filters (digits, dots wedged between letters)', () => {
    const lexiconOnly = LexiconAbuseDetector.fromFile(lexiconFile, { model: false });
    expect(lexiconOnly.isAbusive('씨1발 이게 뭐하는거야')).toBe(true);
    expect(lexiconOnly.isAbusive('개.새.끼 같은')).toBe(true);
    expect(lexiconOnly.isAbusive('7-2번 버스 언제 와요')).toBe(false);
  });

  it('catches slang insults the lexicon lacks through the learned model', () => {
    const lexiconOnly = LexiconAbuseDetector.fromFile(lexiconFile, { model: false });
    for (const text of ['지랄하네 진짜', '느그 애미 뭐하냐']) {
      expect(lexiconOnly.isAbusive(text)).toBe(false);
      expect(detector.isAbusive(text)).toBe(true);
    }
  });
});

describe('learned abuse model', () => {
  const model = shippedAbuseModel();

  it('scores insults far above polite complaints', () => {
    expect(model.score('병신 같은 새끼들 일 안하냐')).toBeGreaterThan(0.9);
    expect(model.score('처리가 늦어서 답답하네요. 확인 부탁드립니다.')).toBeLessThan(0.5);
  });

  it('has a precision-first threshold and its provenance recorded', () => {
    expect(model.threshold).toBeGreaterThan(0.5);
    const saved = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'nlu', 'abuse-model.json'), 'utf8'),
    ) as { about: string };
    expect(saved.about).toMatch(/curse-detection-ko.*MIT/);
  });

  it('round-trips through a file', () => {
    const file = path.join(__dirname, '..', '..', 'src', 'nlu', 'abuse-model.json');
    const loaded = AbuseNgramModel.fromFile(file);
    expect(loaded.score('씨발 뭐야')).toBeCloseTo(model.score('씨발 뭐야'), 6);
    expect(deobfuscate('씨1발 개.새.끼')).toBe('씨발 개새끼');
  });
});
