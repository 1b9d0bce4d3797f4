import { cappedClassWeights, SoftmaxHead } from '../../src/nlu/softmax-head';

describe('capped class weights', () => {
  it('leave roughly balanced classes at weight 1', () => {
    expect([...cappedClassWeights([0, 0, 0, 1, 1, 2, 2, 2, 2], 3)]).toEqual([1, 1, 1]);
  });

  it('weigh a class with more than twice the median count down to count as twice the median', () => {
    const y = [...Array(100).fill(0), ...Array(10).fill(1), ...Array(10).fill(2), ...Array(12).fill(3)];
    const w = cappedClassWeights(y, 4);
    expect(w[0]).toBeCloseTo(0.2); // 2 × median (10) / 100
    expect([w[1], w[2], w[3]]).toEqual([1, 1, 1]);
  });

  it('take another cap (IntentModelOptions.classWeightCap), a huge cap leaving every class at 1', () => {
    const y = [...Array(100).fill(0), ...Array(10).fill(1), ...Array(10).fill(2), ...Array(12).fill(3)];
    expect(cappedClassWeights(y, 4, 3)[0]).toBeCloseTo(0.3); // 3 × median (10) / 100
    expect([...cappedClassWeights(y, 4, 1e9)]).toEqual([1, 1, 1, 1]);
  });

  it("keep a dominant class from taking an input halfway between it and a small class", async () => {
    // Class 0 has ten times the examples of class 1; the point between them goes to class 0 unweighted.
    const x: Float32Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      x.push(Float32Array.of(1 + (i % 7) * 0.01, (i % 5) * 0.01));
      y.push(0);
    }
    for (let i = 0; i < 20; i++) {
      x.push(Float32Array.of((i % 5) * 0.01, 1 + (i % 7) * 0.01));
      y.push(1);
    }
    const between = Float32Array.of(0.5, 0.5);
    const probabilityOfSmall = async (weighted: boolean) => {
      const head = await SoftmaxHead.train(x, y, 2, {
        epochs: 40,
        learningRate: 0.05,
        seed: 3,
        ...(weighted && { classWeights: cappedClassWeights(y, 2, 1) }),
      });
      const p = head.logits(between);
      return Math.exp(p[1]!) / (Math.exp(p[0]!) + Math.exp(p[1]!));
    };
    expect(await probabilityOfSmall(true)).toBeGreaterThan(await probabilityOfSmall(false));
  });
});
