/**
 * Gradient of Softmax recomputed from the logits, so that it can be differentiated again.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Vector-Jacobian product of softmax along the last axis: with p = softmax(z),
 * dz = p ⊙ dy − p · Σ_k (p ⊙ dy)_k. Unlike the stock gradient it recomputes p from z (the stock one uses the
 * saved output, which is disconnected from z on the tape, so second-order gradients are wrong).
 *
 * @param dy Cotangent of p, any rank ≥ 1, softmax over the last axis.
 * @param logits z, same shape as dy.
 * @returns dz, same shape as z.
 *
 * @example The VJP of a constant cotangent is zero (softmax sums to 1)
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { softmaxVjp } from "./softmax_grad.ts";
 *
 * await tf.setBackend("cpu");
 * const dz = softmaxVjp(tf.ones([2, 3]), tf.tensor2d([[1, 2, 3], [0, 0, 5]]));
 * assert.ok(tf.max(tf.abs(dz)).dataSync()[0]! < 1e-6);
 * ```
 */
export function softmaxVjp(dy: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.softmax(logits);
    const pdy = tf.mul(p, dy);
    return tf.sub(pdy, tf.mul(p, tf.sum(pdy, -1, true)));
  });
}

/** Gradient of the `Softmax` kernel (global), computed by {@linkcode softmaxVjp} from the saved logits. */
export const softmaxGradient: tf.GradConfig = {
  kernelName: "Softmax",
  inputsToSave: ["logits"],
  gradFunc: (dy, saved) => {
    const [logits] = saved as [tf.Tensor];
    return { logits: () => softmaxVjp(dy as tf.Tensor, logits) };
  },
};
