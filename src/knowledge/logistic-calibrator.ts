/**
 * Logistic regression from retrieval features to "the best entry answers the question", fitted on
 * the held-out split of the entries' own question variants. Its output is the confidence the bot
 * compares with the no-answer threshold.
 */

export interface CalibratorModel {
  /** Feature means and scales used to standardise inputs. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Probability for one feature vector. */
export function predict(model: CalibratorModel, features: number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) {
    z += model.weights[i]! * (((features[i] ?? 0) - model.mean[i]!) / model.scale[i]!);
  }
  return sigmoid(z);
}

/**
 * Fits by full-batch gradient descent with a small L2 penalty; deterministic for a given input.
 * @param samples feature vectors with 0/1 labels
 */
export function fitCalibrator(
  samples: { features: number[]; label: number }[],
  options: { l2?: number; epochs?: number } = {},
): CalibratorModel {
  const dim = samples[0]?.features.length ?? 0;
  const mean = Array.from(
    { length: dim },
    (_, i) => samples.reduce((s, x) => s + x.features[i]!, 0) / (samples.length || 1),
  );
  const scale = Array.from({ length: dim }, (_, i) => {
    const v = samples.reduce((s, x) => s + (x.features[i]! - mean[i]!) ** 2, 0) / (samples.length || 1);
    return Math.sqrt(v) || 1;
  });
  const xs = samples.map((s) => s.features.map((f, i) => (f - mean[i]!) / scale[i]!));
  const weights = new Array<number>(dim).fill(0);
  let bias = 0;
  const l2 = options.l2 ?? 0.01;
  const lr = 0.5;
  const n = samples.length || 1;
  for (let epoch = 0; epoch < (options.epochs ?? 600); epoch++) {
    const gw = new Array<number>(dim).fill(0);
    let gb = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      let z = bias;
      for (let i = 0; i < dim; i++) z += weights[i]! * x[i]!;
      const err = sigmoid(z) - samples[k]!.label;
      for (let i = 0; i < dim; i++) gw[i]! += err * x[i]!;
      gb += err;
    }
    for (let i = 0; i < dim; i++) weights[i]! -= lr * (gw[i]! / n + l2 * weights[i]!);
    bias -= lr * (gb / n);
  }
  return { mean, scale, weights, bias };
}
