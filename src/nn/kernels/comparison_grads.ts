/**
 * Zero gradients for the comparison kernels. tfjs 4.22 registers one only for GreaterEqual, so
 * differentiating a gradient that contains a mask (relu via step is fine, but leakyRelu, max, min, logSumExp
 * and max pooling use Greater/Equal) throws "gradient function not found". Comparisons are piecewise
 * constant, so their derivative is 0 almost everywhere.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** Kernel names of the comparisons that get a zero gradient. */
export const COMPARISON_KERNELS: readonly string[] = [
  "Equal",
  "Greater",
  "GreaterEqual",
  "Less",
  "LessEqual",
  "NotEqual",
];

/**
 * Zero-gradient configs for the comparison kernels: d/da = 0, d/db = 0 (shapes of a and b).
 *
 * @returns One config per name in {@linkcode COMPARISON_KERNELS}.
 *
 * @example Second order through tf.max works once registered
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { comparisonGradients } from "./comparison_grads.ts";
 *
 * await tf.setBackend("cpu");
 * for (const g of comparisonGradients()) tf.registerGradient(g);
 * const f = (x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.max(tf.square(y)))(x));
 * const d2 = tf.grad(f)(tf.tensor1d([1, 3, 2]));
 * assert.deepEqual(Array.from(d2.dataSync()), [0, 2, 0]);
 * ```
 */
export function comparisonGradients(): readonly tf.GradConfig[] {
  return COMPARISON_KERNELS.map((kernelName) => ({
    kernelName,
    inputsToSave: ["a", "b"],
    gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
    },
  }));
}
