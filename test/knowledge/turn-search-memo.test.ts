import type { FaqEntry, RetrievalResult } from '../../src/core/knowledge-port';
import type { IntentClassifier, QueryVector } from '../../src/core/nlu-port';
import type { TurnContext } from '../../src/core/turn-context';
import { classifyInTurn } from '../../src/core/turn-encoder-memo';
import { searchInTurn } from '../../src/knowledge/turn-search-memo';

/** A retriever that answers with `k` numbered hits and records every search it is asked. */
function countingKnowledge() {
  const calls: { text: string; language: string; k: number | undefined }[] = [];
  let fail = false;
  return {
    calls,
    failNext: () => (fail = true),
    async search(text: string, language: string, k?: number): Promise<RetrievalResult> {
      calls.push({ text, language, k });
      if (fail) {
        fail = false;
        throw new Error('index unavailable');
      }
      const hits = Array.from({ length: k ?? 5 }, (_, i) => ({ entry: { id: `${text}-${i}` } as FaqEntry, score: 1 - i / 10 }));
      return { best: hits[0], runnerUp: hits[1], confidence: 0.9, answerable: true, hits };
    },
  };
}

const turn = () => ({}) as TurnContext;

describe('searchInTurn', () => {
  it('searches a text once per turn and cuts the hits to what each caller asked for', async () => {
    const knowledge = countingKnowledge();
    const ctx = turn();
    const one = await searchInTurn(ctx, knowledge, '버스 막차', 'ko', 1);
    const four = await searchInTurn(ctx, knowledge, '버스 막차', 'ko', 4);
    expect(knowledge.calls).toHaveLength(1);
    expect(one.hits.map((h) => h.entry.id)).toEqual(['버스 막차-0']);
    expect(four.hits.map((h) => h.entry.id)).toEqual(['버스 막차-0', '버스 막차-1', '버스 막차-2', '버스 막차-3']);
    expect(one.best).toEqual(four.best);
    expect(one.runnerUp?.entry.id).toBe('버스 막차-1');
  });

  it('searches again for another text, another language or another turn', async () => {
    const knowledge = countingKnowledge();
    const ctx = turn();
    await searchInTurn(ctx, knowledge, 'water bill', 'en', 1);
    await searchInTurn(ctx, knowledge, 'bus times', 'en', 1);
    await searchInTurn(ctx, knowledge, 'water bill', 'vi', 1);
    await searchInTurn(turn(), knowledge, 'water bill', 'en', 1);
    expect(knowledge.calls.map((c) => `${c.language}:${c.text}`)).toEqual(['en:water bill', 'en:bus times', 'vi:water bill', 'en:water bill']);
  });

  it('does not remember a failed search', async () => {
    const knowledge = countingKnowledge();
    const ctx = turn();
    knowledge.failNext();
    await expect(searchInTurn(ctx, knowledge, 'bus times', 'en', 1)).rejects.toThrow('index unavailable');
    await expect(searchInTurn(ctx, knowledge, 'bus times', 'en', 1)).resolves.toMatchObject({ answerable: true });
    expect(knowledge.calls).toHaveLength(2);
  });

  it('passes a request for more hits than it keeps straight through', async () => {
    const knowledge = countingKnowledge();
    const ctx = turn();
    const many = await searchInTurn(ctx, knowledge, 'bus times', 'en', 12);
    expect(many.hits).toHaveLength(12);
    expect(knowledge.calls).toEqual([{ text: 'bus times', language: 'en', k: 12 }]);
  });
});

describe('one embedding per text and turn (searchInTurn with classifyInTurn)', () => {
  const vectorOf = (text: string) => ({ encoder: 'enc', values: Float32Array.from([text.length, 1]) });

  /** A classifier that records the vector it was handed and returns its own. */
  function countingClassifier() {
    const calls: { text: string; handed?: QueryVector }[] = [];
    const classifier: IntentClassifier = {
      name: 'enc',
      async classify(text, _language, options) {
        calls.push({ text, handed: options?.vector });
        return { intent: 'bus', confidence: 0.9, top: [], model: 'enc', vector: options?.vector ?? vectorOf(text) };
      },
    };
    return { calls, classifier };
  }

  it("hands the classification's vector to the search of the same text, and the search's to a later classification", async () => {
    const handed: (QueryVector | undefined)[] = [];
    const knowledge = {
      async search(text: string, _language: string, _k?: number, options?: { vector?: QueryVector }): Promise<RetrievalResult> {
        handed.push(options?.vector);
        return { confidence: 0.2, answerable: false, hits: [], vector: options?.vector ?? vectorOf(text) };
      },
    };
    const { calls, classifier } = countingClassifier();
    const ctx = turn();
    await classifyInTurn(ctx, classifier, 'bus and water', 'en');
    await searchInTurn(ctx, knowledge, 'bus and water', 'en', 1);
    expect(handed).toEqual([vectorOf('bus and water')]);
    // A part: searched first (embedding it), then classified with that embedding.
    await searchInTurn(ctx, knowledge, 'water', 'en', 1);
    await classifyInTurn(ctx, classifier, 'water', 'en');
    expect(handed[1]).toBeUndefined();
    expect(calls.map((c) => [c.text, c.handed])).toEqual([
      ['bus and water', undefined],
      ['water', vectorOf('water')],
    ]);
    // The whole message again: the classification is the remembered one, not a new call.
    await classifyInTurn(ctx, classifier, 'bus and water', 'en');
    expect(calls).toHaveLength(2);
    // Another turn starts empty.
    await classifyInTurn(turn(), classifier, 'water', 'en');
    expect(calls[2]).toEqual({ text: 'water', handed: undefined });
  });

  it('does not remember a failed classification', async () => {
    let fail = true;
    const classifier: IntentClassifier = {
      name: 'enc',
      async classify() {
        if (fail) {
          fail = false;
          throw new Error('encoder stopped');
        }
        return { intent: 'bus', confidence: 0.9, top: [], model: 'enc' };
      },
    };
    const ctx = turn();
    await expect(classifyInTurn(ctx, classifier, 'bus', 'en')).rejects.toThrow('encoder stopped');
    await expect(classifyInTurn(ctx, classifier, 'bus', 'en')).resolves.toMatchObject({ intent: 'bus' });
  });
});
