import { evaluateThreshold, tuneThreshold, type ScoredPrediction } from '../../src/nlu/oos-threshold';

const inScope = (score: number, correct = true): ScoredPrediction => ({ score, outOfScope: false, correct });
const oos = (score: number): ScoredPrediction => ({ score, outOfScope: true, correct: false });

describe('out-of-scope threshold', () => {
  it('separates cleanly separable scores, in the middle of the gap', () => {
    const predictions = [inScope(0.9), inScope(0.8), inScope(0.7), oos(0.3), oos(0.2)];
    const choice = tuneThreshold(predictions);
    expect(choice.inScopeAccuracy).toBe(1);
    expect(choice.oosRecall).toBe(1);
    expect(choice.threshold).toBeGreaterThan(0.3);
    expect(choice.threshold).toBeLessThanOrEqual(0.7);
  });

  it('with a recall floor, takes the best in-scope accuracy that still reaches it', () => {
    // Overlapping scores: rejecting the 0.6 out-of-scope message costs one in-scope message.
    const predictions = [
      inScope(0.95),
      inScope(0.9),
      inScope(0.55),
      inScope(0.85),
      oos(0.6),
      oos(0.2),
      oos(0.1),
      oos(0.05),
    ];
    const loose = tuneThreshold(predictions, { minOosRecall: 0.75 });
    expect(loose.oosRecall).toBeGreaterThanOrEqual(0.75);
    expect(loose.inScopeAccuracy).toBe(1);
    const strict = tuneThreshold(predictions, { minOosRecall: 1 });
    expect(strict.oosRecall).toBe(1);
    expect(strict.inScopeAccuracy).toBe(0.75);
    expect(strict.threshold).toBeGreaterThan(0.6);
  });

  it('counts accepted but wrong in-scope predictions as errors', () => {
    const result = evaluateThreshold([inScope(0.9, false), inScope(0.8), oos(0.1)], 0.5);
    expect(result.inScopeAccuracy).toBe(0.5);
    expect(result.oosRecall).toBe(1);
  });

  it('returns the fallback (accept everything) when validation has no out-of-scope examples', () => {
    const choice = tuneThreshold([inScope(0.9), inScope(0.1, false)]);
    expect(choice.threshold).toBe(0);
    expect(choice.inScopeAccuracy).toBe(0.5);
  });
});
