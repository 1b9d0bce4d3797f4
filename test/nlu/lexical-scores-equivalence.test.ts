/**
 * The lexical classifier scores through an inverted index of its example rows (only the examples
 * sharing a feature with the message) and keeps each intent's k best in place. Its scores must be
 * the very figures of the plain method it replaced: a cosine() against every example vector, the
 * similarities grouped per intent, sorted, the k best averaged. Checked to the last bit on the
 * intents' own texts, on longer messages (two texts joined: the examples are then the sparser
 * vectors) and on fragments (the message is the sparser).
 */
import path from 'node:path';
import { loadIntentData } from '../../src/nlu/intent-data';
import { LexicalClassifier } from '../../src/nlu/lexical-classifier';
import { CharNgramVectorizer, cosine, type SparseVector } from '../../src/nlu/char-ngram-vectorizer';

/** The scoring the classifier had before the index: every example, per-intent lists and sorts. */
function referenceScores(
  vectorizer: CharNgramVectorizer,
  examples: { intent: string; vector: SparseVector }[],
  k: number,
  text: string,
): { intent: string; score: number }[] {
  const query = vectorizer.transform(text);
  const byIntent = new Map<string, number[]>();
  for (const { intent, vector } of examples) {
    const list = byIntent.get(intent) ?? [];
    list.push(cosine(query, vector));
    byIntent.set(intent, list);
  }
  const scored = [...byIntent].map(([intent, sims]) => {
    const best = sims.sort((a, b) => b - a).slice(0, k);
    return { intent, score: best.reduce((s, x) => s + x, 0) / best.length };
  });
  return scored.sort((a, b) => b.score - a.score);
}

describe('lexical classifier scores', () => {
  it('are identical to a cosine against every example, on the intents texts, joined texts and fragments', () => {
    const data = loadIntentData(path.join(__dirname, '..', '..', 'intents'));
    const classifier = new LexicalClassifier(data.examples);
    const state = classifier.toState();
    const vectorizer = CharNgramVectorizer.fromState(state.vectorizer);
    // The example vectors, rebuilt from the state's rows in their order (the order cosine() sums in).
    const examples = state.intents.map((intent, r) => {
      const vector: SparseVector = new Map();
      for (let j = state.offsets[r]!; j < state.offsets[r + 1]!; j++) vector.set(state.indices[j]!, state.values[j]!);
      return { intent, vector };
    });
    const texts = data.examples.map((e) => e.text);
    const sample = [
      ...texts.filter((_, i) => i % 4 === 0),
      ...texts.filter((_, i) => i % 17 === 0).map((t, i) => `${t} ${texts[(i * 31 + 7) % texts.length]}`),
      ...texts.filter((_, i) => i % 17 === 5).map((t) => t.slice(0, Math.max(1, Math.floor(t.length / 3)))),
      'xyzzy qwerty',
      '',
    ];
    expect(sample.length).toBeGreaterThan(800);
    const differing: string[] = [];
    for (const text of sample) {
      const expected = referenceScores(vectorizer, examples, state.options.k, text);
      const actual = classifier.scores(text);
      const same =
        actual.length === expected.length &&
        actual.every((s, i) => s.intent === expected[i]!.intent && s.score === expected[i]!.score);
      if (!same) differing.push(text);
    }
    expect(differing).toEqual([]);
  });
});
