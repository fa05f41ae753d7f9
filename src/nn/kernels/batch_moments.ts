/**
 * Per-channel batch mean and variance (training-mode BatchNorm statistics) whose gradient is cheap on wasm.
 *
 * `tf.moments(h, [0, 1, 2])` is two Means; the stock tfjs 4.22 Mean gradient multiplies dy by
 * `tf.ones(x.shape)`, which builds the full-size array of ones in JavaScript and uploads it: on wasm about
 * 10 ms for a `[32, 32, 32, 16]` input, ten times the Mean itself. Here the mean's gradient broadcasts dy
 * with a `fill` kernel instead. Values, first and higher-order gradients are bitwise those of `tf.moments`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Mean over every axis but the last, with gradient dx = (dy·1)/n where the ones come from a `fill` kernel:
 * the stock Mean gradient, op for op. It is linear in dy and needs no saved input, so differentiable again.
 */
const channelMean = tf.customGrad((x) => {
  const t = x as tf.Tensor;
  const axes = t.shape.slice(0, -1).map((_, i) => i);
  const n = t.size / t.shape[t.rank - 1]!;
  const keptShape = t.shape.map((d, i) => i < t.rank - 1 ? 1 : d);
  return {
    value: tf.mean(t, axes),
    // The stock formula op for op (also its own gradient, so HVPs stay bitwise), with fill for ones.
    gradFunc: (dy: tf.Tensor) =>
      tf.div(tf.mul(tf.reshape(dy, keptShape), tf.fill(t.shape, 1)), n),
  };
});

/**
 * Batch mean and biased batch variance of each channel (the last axis) over all other axes, the statistics
 * of training-mode BatchNorm: μ = Σ x / n and v = Σ (x − μ)² / n, computed as `tf.moments(h, axes)` does
 * (bitwise the same values and gradients, at every order) but with a much cheaper gradient on wasm.
 *
 * @param h Input of rank ≥ 2, float32, channels last (e.g. NHWC).
 * @returns mean and variance, each of shape `[channels]`.
 *
 * @example Two channels of a 2×2 batch
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { batchMoments } from "./batch_moments.ts";
 *
 * await tf.setBackend("cpu");
 * const { mean, variance } = batchMoments(tf.tensor2d([[1, 10], [3, 10]]));
 * assert.deepEqual(Array.from(mean.dataSync()), [2, 10]);
 * assert.deepEqual(Array.from(variance.dataSync()), [1, 0]);
 * ```
 */
export function batchMoments(
  h: tf.Tensor,
): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [mean, variance] = tf.tidy(() => {
    const m = channelMean(h);
    return [m, channelMean(tf.square(tf.sub(h, m)))];
  }) as [tf.Tensor1D, tf.Tensor1D];
  return { mean, variance };
}
