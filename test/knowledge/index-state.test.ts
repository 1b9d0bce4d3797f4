/**
 * The FAQ index's parts restored from their saved state (as the main thread installs an index the
 * FAQ index thread built) score exactly like the built ones, and save the same state again.
 */
import { Bm25Index } from '../../src/knowledge/bm25-index';
import { SimilarityIndex } from '../../src/knowledge/similarity-index';
import { dot } from '../../src/knowledge/vector-math';

const DOCS = [
  ['버스', '노선', '문의', '버스'],
  ['수돗물', '단수', '문의'],
  ['여권', '발급', '서류'],
  ['버스', '정류장', '위치'],
];

/** A sparse unit vector over `dimension` hashed features from the given (feature, weight) pairs. */
function sparse(dimension: number, pairs: [number, number][]): Float32Array {
  const v = new Float32Array(dimension);
  for (const [f, w] of pairs) v[f] = w;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

describe('index state round trip', () => {
  it('BM25 restored from its state scores, excludes and saves like the built index', () => {
    const built = new Bm25Index();
    for (const doc of DOCS) built.add(doc);
    const restored = Bm25Index.fromState(built.toState());
    for (const query of [['버스', '문의'], ['단수'], ['없는', '말'], ['버스', '버스', '위치']]) {
      expect([...restored.score(query)]).toEqual([...built.score(query)]);
      expect(restored.selfScore(query)).toBe(built.selfScore(query));
      expect(restored.idf(query[0]!)).toBe(built.idf(query[0]!));
    }
    const exclude = { doc: 0, tokens: ['버스'] };
    expect([...restored.score(['버스'], exclude)]).toEqual([...built.score(['버스'], exclude)]);
    expect(restored.toState()).toEqual(built.toState());

    // A document added after restoring counts like one added to the built index.
    built.add(['여권', '사진']);
    restored.add(['여권', '사진']);
    expect([...restored.score(['여권'])]).toEqual([...built.score(['여권'])]);
    expect(restored.toState()).toEqual(built.toState());
  });

  it('a sparse similarity index restored from its state gives the same scores and state', () => {
    const dimension = 64;
    const vectors = [
      sparse(dimension, [[1, 1], [5, 2]]),
      sparse(dimension, [[5, 1], [9, 1], [40, 3]]),
      sparse(dimension, [[2, 1]]),
      sparse(dimension, [[1, 2], [40, 1]]),
    ];
    const built = SimilarityIndex.of(vectors);
    const state = built.toState();
    expect(state.sparse).toBe(true);
    const restored = SimilarityIndex.fromState(state);
    for (const query of [...vectors, sparse(dimension, [[63, 1]]), sparse(dimension, [[1, 1], [40, 1]])])
      expect(Array.from(restored.scores(query))).toEqual(Array.from(built.scores(query)));
    expect(restored.toState()).toEqual(built.toState());
    expect(restored.size).toBe(4);
  });

  it('a dense similarity index scores each vector exactly as dot() does, built or restored', () => {
    // Unit vectors of the transformer's size; a count that is not a multiple of four (rows are
    // scored four at a time, the rest one by one).
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const unit = () => {
      const v = Float32Array.from({ length: 384 }, random);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    };
    const vectors = Array.from({ length: 23 }, unit);
    const built = SimilarityIndex.of(vectors);
    const state = built.toState();
    expect(state.sparse).toBe(false);
    const restored = SimilarityIndex.fromState(state);
    for (const query of [vectors[0]!, vectors[22]!, unit(), unit()]) {
      const expected = vectors.map((v) => Math.fround(dot(query, v)));
      expect(Array.from(built.scores(query))).toEqual(expected);
      expect(Array.from(restored.scores(query))).toEqual(expected);
    }
    expect(restored.toState()).toEqual(state);
    expect(restored.size).toBe(23);
    expect(SimilarityIndex.fromState(SimilarityIndex.of([]).toState()).scores(unit())).toHaveLength(0);
  });
});
