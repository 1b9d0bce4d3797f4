/**
 * The lexical classifier installed from its state (as the main thread installs the one the NLU
 * training thread fitted, after a structured clone) classifies exactly like the fitted one, and
 * like a classifier installed for each message alone (the scoring scratch is left clean).
 */
import path from 'node:path';
import { loadIntentData } from '../../src/nlu/intent-data';
import { LexicalClassifier } from '../../src/nlu/lexical-classifier';

describe('lexical classifier state', () => {
  it('installed from a cloned state gives the same verdicts and confidences as the fitted classifier', async () => {
    const data = loadIntentData(path.join(__dirname, '..', '..', 'intents'));
    const fitted = new LexicalClassifier(data.examples);
    const state = structuredClone(fitted.toState());
    const installed = new LexicalClassifier(state);
    const texts = [
      ...data.examples.filter((_, i) => i % 13 === 0).map((e) => e.text),
      '버스 언제 와요',
      'Tôi muốn hỏi về hộ chiếu',
      'xyzzy qwerty',
      '',
    ];
    for (const text of texts) {
      // A classifier installed for this message alone: nothing left over from earlier messages.
      const expected = await new LexicalClassifier(state).classify(text);
      expect(await installed.classify(text)).toEqual(expected);
      expect(await fitted.classify(text)).toEqual(expected);
    }
  });
});
