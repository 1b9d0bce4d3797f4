import { percentile, scoreRecords } from '../../src/nlu/nlu-metrics';

describe('evaluation metrics', () => {
  const records = [
    { gold: 'a', predicted: 'a', latencyMs: 1 },
    { gold: 'a', predicted: 'b', latencyMs: 2 },
    { gold: 'b', predicted: 'b', latencyMs: 3 },
    { gold: 'out_of_scope', predicted: 'out_of_scope', latencyMs: 4 },
    { gold: 'out_of_scope', predicted: 'a', latencyMs: 5 },
    { gold: 'crisis_support', predicted: 'out_of_scope', crisis: true, latencyMs: 100 },
  ];
  const report = scoreRecords(records, 'test-model');

  it('scores accuracy over all messages and in-scope accuracy over in-scope ones', () => {
    expect(report.n).toBe(6);
    expect(report.accuracy).toBeCloseTo(3 / 6, 4);
    expect(report.inScopeAccuracy).toBeCloseTo(2 / 4, 4);
  });

  it('scores out-of-scope recall and precision', () => {
    expect(report.oosRecall).toBeCloseTo(1 / 2, 4);
    expect(report.oosPrecision).toBeCloseTo(1 / 2, 4);
  });

  it('takes crisis recall from the combined crisis flag, not the intent alone', () => {
    expect(report.crisisRecall).toBe(1);
  });

  it('reports per-intent scores, a sparse confusion table and latency percentiles', () => {
    expect(report.perIntent.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(report.confusion.a).toEqual({ a: 1, b: 1 });
    expect(report.latencyMs).toEqual({ p50: 3, p95: 100 });
    expect(percentile([5, 1, 3], 50)).toBe(3);
  });

  it('leaves out-of-scope and crisis figures empty when the test set has none', () => {
    const plain = scoreRecords([{ gold: 'a', predicted: 'a' }], 'm');
    expect(plain.oosRecall).toBeNull();
    expect(plain.crisisRecall).toBeNull();
    expect(plain.latencyMs).toBeNull();
  });
});
