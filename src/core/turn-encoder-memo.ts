/**
 * Encoder work shared within one turn. With the transformer, every intent classification and every
 * FAQ search of a text starts with an encoder pass over `query: ` + text (tens of ms of inference
 * thread), and one turn asks about the same words several times: the understand step classifies
 * the message, the two-needs step searches the FAQ for it (or its parts) and asks the classifier
 * about a part the FAQ is unsure of, the FAQ step searches it again. The same text through the same
 * encoder gives the same vector, so one pass per text and turn is enough.
 *
 * Keyed by the turn's context object (WeakMap): nothing outlives the turn or is shared between
 * turns, residents or instances. A turn holds the message and at most a few of its parts.
 */
import type { Classification, IntentClassifier, QueryVector } from './nlu-port';
import type { TurnContext } from './turn-context';

interface TurnMemo {
  /** Query embeddings by text (an embedding does not depend on the language). */
  vectors: Map<string, QueryVector>;
  /** Intent classifications by language and text. */
  classifications: Map<string, Promise<Classification>>;
}

const memos = new WeakMap<TurnContext, TurnMemo>();

function memoOf(ctx: TurnContext): TurnMemo {
  let memo = memos.get(ctx);
  if (!memo) memos.set(ctx, (memo = { vectors: new Map(), classifications: new Map() }));
  return memo;
}

/** The query embedding of `text` made earlier in this turn, if any. */
export function queryVectorInTurn(ctx: TurnContext, text: string): QueryVector | undefined {
  return memos.get(ctx)?.vectors.get(text);
}

/** Remembers `text`'s query embedding for the rest of the turn (no-op without one). */
export function keepQueryVector(ctx: TurnContext, text: string, vector: QueryVector | undefined): void {
  if (vector) memoOf(ctx).vectors.set(text, vector);
}

/**
 * `classifier.classify(text, language)`, at most once per turn, text and language, reusing the
 * text's embedding when a step of this turn already made one. A failed classification is not
 * remembered, so a later step may try again.
 */
export function classifyInTurn(
  ctx: TurnContext,
  classifier: IntentClassifier,
  text: string,
  language: string,
): Promise<Classification> {
  const memo = memoOf(ctx);
  const key = `${language}\u0000${text}`;
  let classification = memo.classifications.get(key);
  if (!classification) {
    const vector = memo.vectors.get(text);
    classification = classifier.classify(text, language, vector && { vector });
    memo.classifications.set(key, classification);
    classification.then(
      (c) => keepQueryVector(ctx, text, c.vector),
      () => memo.classifications.delete(key),
    );
  }
  return classification;
}
