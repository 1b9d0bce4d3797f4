/**
 * FAQ searches remembered for the length of one turn. A turn asks the FAQ about the same words up
 * to three times (the two-needs step checks a one-part message, then the whole message, then the
 * FAQ step answers it); each search embeds the text and scores every entry and intent example, and
 * with the transformer that is one more encoder pass. Keyed by the turn's context object, so the
 * memo ends with the turn (WeakMap) and nothing outlives it or is shared between turns.
 */
import type { KnowledgeRetriever, RetrievalResult } from '../core/knowledge-port';
import type { TurnContext } from '../core/turn-context';
import { keepQueryVector, queryVectorInTurn } from '../core/turn-encoder-memo';

/**
 * Hits fetched once per text and cut to each caller's `k`: a search's best, runner-up, confidence
 * and verdict do not depend on `k`, only the length of `hits` does.
 */
const MEMO_HITS = 8;

const memos = new WeakMap<TurnContext, Map<string, Promise<RetrievalResult>>>();

/**
 * `knowledge.search(text, language, k)`, searched at most once per turn, text and language, with
 * the text's embedding from earlier in the turn (the intent classification's) when there is one,
 * and its own embedding kept for later steps (src/core/turn-encoder-memo.ts).
 */
export async function searchInTurn(
  ctx: TurnContext,
  knowledge: Pick<KnowledgeRetriever, 'search'>,
  text: string,
  language: string,
  k = 5,
): Promise<RetrievalResult> {
  const vector = queryVectorInTurn(ctx, text);
  const options = vector && { vector };
  if (k > MEMO_HITS) return knowledge.search(text, language, k, options);
  let memo = memos.get(ctx);
  if (!memo) memos.set(ctx, (memo = new Map()));
  const key = `${language}\u0000${text}`;
  let search = memo.get(key);
  if (!search) {
    search = knowledge.search(text, language, MEMO_HITS, options);
    memo.set(key, search);
    search.then(
      (result) => keepQueryVector(ctx, text, result.vector),
      // A failed search is not remembered: a later step may try again.
      () => memo.delete(key),
    );
  }
  const result = await search;
  return { ...result, hits: result.hits.slice(0, k) };
}
